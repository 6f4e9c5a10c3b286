import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPOSITORY_ROOT, eventually } from '@huoju/testing';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `npm start -- --detach` starts the services through tools/lib/services.mjs and exits. */
describe('a detached service (npm start -- --detach)', () => {
  const dir = path.join(REPOSITORY_ROOT, 'tmp', `detached-logs-${process.pid}`);
  let pid: number | undefined;

  afterAll(() => {
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps writing its log after the start script exited', async () => {
    mkdirSync(dir, { recursive: true });
    const service = path.join(dir, 'ticker.mjs');
    writeFileSync(service, "setInterval(() => console.log(JSON.stringify({ msg: 'tick', at: Date.now() })), 50);\n");
    // The start script: starts the "service" detached the way tools/start.mjs does, prints its pid, exits.
    const starter = `
      import { startLogged } from ${JSON.stringify(path.join(REPOSITORY_ROOT, 'tools/lib/services.mjs'))};
      const child = startLogged('ticker', [${JSON.stringify(service)}], process.env, { detached: true, logDir: ${JSON.stringify(dir)} });
      child.unref();
      console.log('pid=' + child.pid);`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', starter], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    // Other lines may come first (warnings of the tools under nx): read the one the starter printed.
    pid = Number(/^pid=(\d+)$/m.exec(output)?.[1]);
    expect(pid).toBeGreaterThan(0);
    const log = path.join(dir, 'ticker.log');
    await eventually(() => statSync(log, { throwIfNoEntry: false })?.size, 5_000);
    const before = statSync(log).size;
    await sleep(1_000);
    expect(statSync(log).size).toBeGreaterThan(before);
    expect(() => process.kill(pid!, 0)).not.toThrow();
  });
});
