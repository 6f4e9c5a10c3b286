// npm test → nx run k8s:test: every overlay renders, validates and keeps the project's rules, and each
// kind of mistake is shown to fail on a deliberately broken overlay.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import {
  checkDeployments,
  checkEngines,
  checkKafka,
  checkSecrets,
  contractTopics,
  k8sDir,
  loadStrimziSchemas,
  referencedSecrets,
  render,
  root,
  routeOf,
  validateSchemas,
} from './manifests.mjs';

const overlays = ['dev', 'production'];
const contracts = contractTopics();

/** The browser's one origin: which service answers which path (the task's routing table). */
const ROUTES = {
  '/v1/auth/token': 'intake',
  '/v1/accounts/me': 'intake',
  '/v1/api-keys': 'intake',
  '/v1/audit': 'intake',
  '/v1/forms/torch-monthly/rules': 'intake',
  '/v1/filings': 'intake',
  '/v1/filings/0b7c/explanations': 'intake',
  '/v1/filings:validate': 'intake',
  '/v1/enterprises/91310000MA1FL0001X/history': 'intake',
  '/v1/enterprises:import': 'intake',
  '/v1/enterprises:import/template': 'intake',
  '/.well-known/jwks.json': 'intake',
  '/v1/aggregates/provenance': 'aggregation',
  '/v1/rollups/42': 'aggregation',
  '/v1/targets': 'aggregation',
  '/v1/compliance/trend': 'aggregation',
  '/v1/exports/auto/P01': 'torch-export',
  '/': 'web',
  '/compliance': 'web',
  '/assets/index.js': 'web',
};

before(() => loadStrimziSchemas());

for (const overlay of overlays) {
  describe(`overlay ${overlay}`, () => {
    let resources;
    before(() => {
      resources = render(path.join(k8sDir, 'overlays', overlay));
    });

    test('every resource matches its schema (Kubernetes, Strimzi CRDs, CloudNativePG, redis-operator, cert-manager)', () => {
      assert.ok(resources.length > 40, `only ${resources.length} resources rendered`);
      assert.deepEqual(validateSchemas(resources), []);
    });

    test('deployments: ≥ 2 replicas, readiness ≠ liveness, requests and limits, graceful stop, PDB, HPA', () => {
      const names = resources.filter((r) => r.kind === 'Deployment').map((r) => r.metadata.name);
      assert.deepEqual(names.sort(), ['aggregation', 'intake', 'torch-export', 'validation', 'web']);
      assert.deepEqual(checkDeployments(resources), []);
    });

    test('a KafkaTopic for every contract topic and DLQ, replication 3, min.insync 2, partitions from config', () => {
      assert.deepEqual(checkKafka(resources, contracts), []);
    });

    test('PostgreSQL of 3 with backups, Redis with noeviction, a migration Job', () => {
      assert.deepEqual(checkEngines(resources), []);
      const job = resources.find((r) => r.kind === 'Job');
      const steps = [...job.spec.template.spec.initContainers, ...job.spec.template.spec.containers];
      assert.deepEqual(
        steps.map((c) => c.name),
        ['intake', 'validation', 'aggregation', 'torch-export'],
      );
    });

    test('no Secret is committed, and every Secret a pod reads is documented in the runbook', () => {
      assert.deepEqual(checkSecrets(resources), []);
      assert.equal(resources.filter((r) => r.kind === 'Secret').length, 0);
      const runbook = readFileSync(path.join(root, 'docs/operations.md'), 'utf8');
      const undocumented = referencedSecrets(resources).filter((name) => !runbook.includes(name));
      assert.deepEqual(undocumented, []);
    });

    test('the Ingress routes each API path to its service and the rest to the console', () => {
      const actual = Object.fromEntries(Object.keys(ROUTES).map((route) => [route, routeOf(resources, route)]));
      assert.deepEqual(actual, ROUTES);
    });
  });
}

describe('a broken manifest fails the checks', () => {
  const scratch = path.join(k8sDir, '.crds', 'broken');
  const brokenOverlay = (name, patches, extra = {}) => {
    const dir = path.join(scratch, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(extra)) writeFileSync(path.join(dir, file), text);
    const kustomization = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [path.relative(dir, path.join(k8sDir, 'overlays/dev')), ...Object.keys(extra)],
      patches,
    };
    writeFileSync(path.join(dir, 'kustomization.yaml'), JSON.stringify(kustomization, null, 2));
    return render(dir);
  };
  const jsonPatch = (kind, name, ops) => ({ target: { kind, ...(name && { name }) }, patch: JSON.stringify(ops) });

  test('replicas as a string is refused by the Kubernetes schema', () => {
    const resources = brokenOverlay('replicas-string', [
      jsonPatch('Deployment', 'intake', [{ op: 'replace', path: '/spec/replicas', value: 'two' }]),
    ]);
    assert.match(validateSchemas(resources).join('\n'), /Deployment\/intake/);
  });

  test('a missing readiness probe, one replica and no limits are reported', () => {
    const resources = brokenOverlay('probes', [
      jsonPatch('Deployment', 'validation', [
        { op: 'remove', path: '/spec/template/spec/containers/0/readinessProbe' },
        { op: 'remove', path: '/spec/template/spec/containers/0/resources/limits' },
        { op: 'replace', path: '/spec/replicas', value: 1 },
      ]),
    ]);
    const problems = checkDeployments(resources).join('\n');
    assert.match(problems, /validation container validation: no readiness probe/);
    assert.match(problems, /validation container validation: no limits.cpu/);
    assert.match(problems, /Deployment\/validation: replicas 1 < 2/);
  });

  test('readiness probing the liveness path is reported', () => {
    const resources = brokenOverlay('same-probe', [
      jsonPatch('Deployment', 'aggregation', [
        { op: 'replace', path: '/spec/template/spec/containers/0/readinessProbe/httpGet/path', value: '/health/live' },
      ]),
    ]);
    assert.match(checkDeployments(resources).join('\n'), /readiness and liveness probe the same path/);
  });

  test('a topic with replication 1, a missing DLQ and partitions that disagree with config are reported', () => {
    const resources = brokenOverlay('topics', [
      jsonPatch('KafkaTopic', 'filing.validated.v1', [
        { op: 'replace', path: '/spec/replicas', value: 1 },
        { op: 'replace', path: '/spec/partitions', value: 7 },
      ]),
      {
        target: { kind: 'KafkaTopic', name: 'filing.submitted.v1.dlq' },
        patch:
          '$patch: delete\napiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata:\n  name: filing.submitted.v1.dlq',
      },
    ]);
    const problems = checkKafka(resources, contracts).join('\n');
    assert.match(problems, /filing.validated.v1: replicas 1, expected 3/);
    assert.match(problems, /filing.validated.v1: 7 partitions, KAFKA_PARTITIONS is 3/);
    assert.match(problems, /KafkaTopic filing.submitted.v1.dlq missing/);
  });

  test('a misspelt Strimzi field and a wrong enum are refused by the CRD schemas', () => {
    const resources = brokenOverlay('strimzi', [
      jsonPatch('KafkaNodePool', 'dual-role', [{ op: 'add', path: '/spec/replica', value: 3 }]),
      jsonPatch('Kafka', 'huoju-kafka', [
        { op: 'replace', path: '/spec/kafka/listeners/0/authentication/type', value: 'scram-sha-256' },
      ]),
    ]);
    const problems = validateSchemas(resources).join('\n');
    assert.match(problems, /KafkaNodePool\/dual-role: \/spec must NOT have additional properties \(replica\)/);
    assert.match(
      problems,
      /Kafka\/huoju-kafka: \/spec\/kafka\/listeners\/0\/authentication\/type must be equal to one of/,
    );
  });

  test('a PostgreSQL cluster of the wrong shape and Redis that evicts are reported', () => {
    const resources = brokenOverlay('engines', [
      jsonPatch('Cluster', 'huoju-pg', [
        { op: 'replace', path: '/spec/instances', value: '3' },
        { op: 'remove', path: '/spec/backup' },
      ]),
      jsonPatch('ConfigMap', 'huoju-redis-config', [
        { op: 'replace', path: '/data/redis-additional.conf', value: 'maxmemory-policy allkeys-lru\n' },
      ]),
    ]);
    assert.match(validateSchemas(resources).join('\n'), /Cluster\/huoju-pg: \/spec\/instances must be integer/);
    const problems = checkEngines(resources).join('\n');
    assert.match(problems, /no backup to object storage/);
    assert.match(problems, /noeviction/);
  });

  test('a Secret with data is reported', () => {
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: huoju-auth\nstringData:\n  jwks: oops\n';
    const resources = brokenOverlay('secret', [], { 'secret.yaml': secret });
    assert.deepEqual(checkSecrets(resources), ['Secret/huoju-auth: a Secret with data is committed']);
  });
});
