import { spawn } from 'node:child_process';
import { root } from './infra.mjs';

/** Runs a command in the repository with node_modules/.bin first on PATH; rejects on a non-zero exit. */
export function run(command, args, { env = {}, label } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    console.log(`\n▶ ${label ?? [command, ...args].join(' ')}`);
    const child = spawn(command, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, PATH: `${root}/node_modules/.bin:${process.env.PATH}`, ...env },
    });
    child.on('exit', (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (code === 0) {
        console.log(`✔ ${label ?? command} (${seconds} s)`);
        resolve();
      } else reject(new Error(`${label ?? command} failed (${signal ?? `exit ${code}`}) after ${seconds} s`));
    });
  });
}

/** The Node flags every test and service process uses (Jest needs require(esm) of Nest 12 and MikroORM 7). */
export const NODE_OPTIONS =
  '--experimental-vm-modules --disable-warning=ExperimentalWarning --disable-warning=TimeoutNegativeWarning';
