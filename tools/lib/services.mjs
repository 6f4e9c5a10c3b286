import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { root } from './infra.mjs';

export const SERVICES = [
  { name: 'intake', port: 3001 },
  { name: 'validation', port: 3002 },
  { name: 'aggregation', port: 3003 },
  { name: 'torch-export', port: 3004 },
  { name: 'web-host', port: 3000 }, // the web console on one origin (apps/web-host)
];

export const runDir = `${root}/.run`;
const pidFile = `${runDir}/pids.json`;

export async function healthy(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Starts one service from dist/ with its output in .run/logs/<name>.log; returns the child. */
export function startService(service, env, { detached = false } = {}) {
  return startLogged(
    service.name,
    ['--disable-warning=TimeoutNegativeWarning', `${root}/dist/apps/${service.name}/src/main.js`],
    { ...process.env, ...env, PORT: String(service.port) },
    { detached, logDir: `${runDir}/logs` },
  );
}

/**
 * Runs a Node script with stdout and stderr appended to <logDir>/<name>.log. The child gets the file
 * itself (its own descriptor), not a pipe through this process: a detached service keeps logging after
 * the start script exits.
 */
export function startLogged(name, args, env, { detached = false, logDir }) {
  mkdirSync(logDir, { recursive: true });
  const log = openSync(`${logDir}/${name}.log`, 'a');
  try {
    return spawn(`${root}/node_modules/.bin/node`, args, {
      cwd: root,
      env,
      stdio: ['ignore', log, log],
      detached,
    });
  } finally {
    closeSync(log);
  }
}

export async function waitHealthy(service, child, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(`${service.name} exited (${child.exitCode}); see .run/logs/${service.name}.log`);
    if (await healthy(service.port)) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${service.name} not healthy after ${timeoutMs / 1000} s; see .run/logs/${service.name}.log`);
}

export function savePids(pids) {
  mkdirSync(runDir, { recursive: true });
  writeFileSync(pidFile, JSON.stringify(pids, null, 2));
}

export function readPids() {
  return existsSync(pidFile) ? JSON.parse(readFileSync(pidFile, 'utf8')) : {};
}

export function clearPids() {
  rmSync(pidFile, { force: true });
}
