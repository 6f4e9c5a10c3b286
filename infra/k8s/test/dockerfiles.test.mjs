// npm test → nx run k8s:test: the images the manifests run. There is no Docker engine on this machine
// (CI builds the images where one exists), so the Dockerfiles are checked here by their instructions,
// and tied to the manifests: every image a pod runs has a Dockerfile, on the port the pod expects.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { k8sDir, render, root } from './manifests.mjs';

/** Dockerfile instructions in order, continuation lines joined, comments dropped. */
export function instructions(text) {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  return lines
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** The problems of one Dockerfile against the rules for Huoju images. */
export function dockerfileProblems(text) {
  const all = instructions(text);
  const problems = [];
  const stages = all.filter((i) => i.keyword === 'FROM');
  if (stages.length < 2) problems.push('not multi-stage');
  for (const stage of stages) {
    if (!/^node:24(\.\d+){0,2}-(bookworm|trixie)-slim\b|^gcr\.io\/distroless\/nodejs24/.test(stage.args)) {
      problems.push(`base image ${stage.args} is not Node 24 slim or distroless`);
    }
  }
  const last = all.slice(all.lastIndexOf(stages.at(-1)));
  const user = last.filter((i) => i.keyword === 'USER').at(-1)?.args;
  if (!user || /^(0|root)(:|$)/.test(user)) problems.push(`runs as ${user ?? 'root'}`);
  if (!last.some((i) => i.keyword === 'HEALTHCHECK' && !/NONE/i.test(i.args))) problems.push('no HEALTHCHECK');
  if (!last.some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT')) problems.push('no CMD');
  if (all.some((i) => i.keyword === 'ADD' && /https?:/.test(i.args))) problems.push('ADD from a URL');
  if (last.some((i) => i.keyword === 'ENV' && /(SECRET|PASSWORD|KEY)=/i.test(i.args))) problems.push('a secret in ENV');
  return problems;
}

const dockerfile = (image) => path.join(root, 'infra/docker', `${image}.Dockerfile`);
const resources = render(path.join(k8sDir, 'overlays/production'));
const containers = resources
  .filter((r) => r.kind === 'Deployment' || r.kind === 'Job')
  .flatMap((r) => [...(r.spec.template.spec.initContainers ?? []), ...r.spec.template.spec.containers]);
const imageName = (image) => image.split('/').at(-1).split(':')[0];

describe('images', () => {
  test('every image a pod runs has a Dockerfile that keeps the rules', () => {
    const images = [...new Set(containers.map((c) => imageName(c.image)))].sort();
    assert.deepEqual(images, ['aggregation', 'intake', 'torch-export', 'validation', 'web']);
    for (const image of images) {
      assert.ok(existsSync(dockerfile(image)), `${image}: no infra/docker/${image}.Dockerfile`);
      assert.deepEqual(dockerfileProblems(readFileSync(dockerfile(image), 'utf8')), [], image);
    }
  });

  test('each image exposes the port its Deployment probes and runs an entry point the build produces', () => {
    for (const deployment of resources.filter((r) => r.kind === 'Deployment')) {
      const container = deployment.spec.template.spec.containers[0];
      const steps = instructions(readFileSync(dockerfile(imageName(container.image)), 'utf8'));
      const exposed = steps.filter((i) => i.keyword === 'EXPOSE').map((i) => Number(i.args));
      assert.deepEqual(exposed, [container.ports[0].containerPort], deployment.metadata.name);
    }
    for (const service of ['intake', 'validation', 'aggregation', 'torch-export']) {
      const cmd = instructions(readFileSync(dockerfile(service), 'utf8')).findLast((i) => i.keyword === 'CMD');
      const entry = JSON.parse(cmd.args).find((arg) => arg.startsWith('dist/'));
      assert.ok(existsSync(path.join(root, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'))), entry);
    }
  });

  test('the migration Job runs a migrate entry point that exists in each service', () => {
    const job = resources.find((r) => r.kind === 'Job');
    for (const container of [...job.spec.template.spec.initContainers, ...job.spec.template.spec.containers]) {
      const entry = container.command.find((arg) => arg.startsWith('dist/'));
      assert.ok(existsSync(path.join(root, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'))), entry);
    }
  });

  test('the build context leaves out dependencies, builds, local state and secrets', () => {
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', 'dist', '.kafka', '.run', '.env', '.git'])
      assert.ok(ignored.includes(entry), entry);
  });

  test('a Dockerfile that runs as root, on another Node, without a healthcheck is caught', () => {
    const broken = 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "main.js"]\n';
    assert.deepEqual(dockerfileProblems(broken), [
      'not multi-stage',
      'base image node:22-slim is not Node 24 slim or distroless',
      'runs as root',
      'no HEALTHCHECK',
    ]);
  });
});
