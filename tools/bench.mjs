// npm run bench — a filing season through the real services on this machine, measured against the raw
// limits (HTTP, PostgreSQL, Kafka, BullMQ, writers) in the same run. Options after `--`:
//   --enterprises 25000   roster size (the scale run: 250000)
//   --months 1            months filed (up to 9: January–September 2026)
//   --concurrency 32      concurrent HTTP clients
//   --no-profile          skip the CPU profiles
// Writes bench/results/<timestamp>.json and bench/results/latest.md.
import { execFileSync } from 'node:child_process';
import { ensureInfrastructure, root, stopKafka } from './lib/infra.mjs';

const { startedKafka } = await ensureInfrastructure();
try {
  execFileSync(`${root}/node_modules/.bin/node`, [`${root}/tools/build.mjs`], { stdio: 'inherit' });
  execFileSync(
    `${root}/node_modules/.bin/node`,
    ['--disable-warning=TimeoutNegativeWarning', `${root}/dist/bench/src/main.js`, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
        DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/huoju_bench',
      },
    },
  );
} finally {
  if (startedKafka) stopKafka();
}
