// npm run rebuild:aggregates — replays the Kafka log into an empty aggregation schema and compares the
// result with the live one (the live service keeps running). `-- --keep` keeps the rebuilt schema.
import { execFileSync } from 'node:child_process';
import { devCredentials } from './lib/dev-keys.mjs';
import { ensureInfrastructure, root, urls } from './lib/infra.mjs';

await ensureInfrastructure();
execFileSync(`${root}/node_modules/.bin/node`, [`${root}/tools/build.mjs`], { stdio: 'inherit' });
execFileSync(
  `${root}/node_modules/.bin/node`,
  [
    '--disable-warning=TimeoutNegativeWarning',
    `${root}/dist/apps/aggregation/src/rebuild/rebuild.main.js`,
    ...process.argv.slice(2),
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      DATABASE_URL: urls.database,
      REDIS_URL: urls.redis,
      KAFKA_BROKERS: urls.kafka,
      AUTH_JWKS: devCredentials().AUTH_JWKS,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    },
  },
);
