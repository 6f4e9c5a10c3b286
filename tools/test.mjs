// npm test — everything CI checks, against the real Kafka, PostgreSQL and Redis:
// lint (with Nx module boundaries), formatting, type-check, unit tests, integration tests, then the
// end-to-end pipeline test with the four services running as separate processes, then the fault tier.
import { ensureInfrastructure, stopKafka } from './lib/infra.mjs';
import { NODE_OPTIONS, run } from './lib/run.mjs';

const env = { NODE_OPTIONS, KAFKAJS_NO_PARTITIONER_WARNING: '1', NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
const { startedKafka } = await ensureInfrastructure();
let failed;
try {
  await run('nx', ['run-many', '-t', 'lint', '--outputStyle=stream'], {
    env,
    label: 'lint (eslint + module boundaries)',
  });
  await run('prettier', ['--check', '--log-level=warn', '{apps,libs,e2e,bench}/**/*.ts', '{tools,infra}/**/*.mjs'], {
    env,
    label: 'format (prettier)',
  });
  await run('tsc', ['-p', 'tsconfig.json', '--noEmit'], { env, label: 'type-check' });
  await run('nx', ['run-many', '-t', 'test', '--outputStyle=stream'], { env, label: 'unit tests' });
  await run('nx', ['run-many', '-t', 'integration', '--parallel=1', '--outputStyle=stream'], {
    env,
    label: 'integration tests (real Kafka, PostgreSQL, Redis)',
  });
  await run('node', ['tools/build.mjs'], { env, label: 'build' });
  await run('nx', ['run', 'e2e:e2e', '--outputStyle=stream'], { env, label: 'end-to-end pipeline test' });
  await run('nx', ['run', 'web:browser', '--outputStyle=stream'], {
    env: { ...env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    label: 'web console in Chromium (Playwright, real services)',
  });
  await run('nx', ['run-many', '-t', 'fault', '--parallel=1', '--outputStyle=stream'], {
    env,
    label: 'fault tier (throwaway broker, database and Redis stopped, flushed and restarted)',
  });
} catch (error) {
  failed = error;
} finally {
  if (startedKafka) stopKafka();
}
if (failed) {
  console.error(`\n✘ ${failed.message}`);
  process.exit(1);
}
console.log('\n✔ all checks passed');
