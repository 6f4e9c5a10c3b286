// npm run dlq -- list | show <topic> | replay <topic> --count N|--all | discard <topic> --count N --note TEXT | history
// Parked (dead-letter) messages: inspect them, re-drive them after a fix, or drop them; every action is
// recorded in PostgreSQL (ops.dead_letter_action).
import { execFileSync } from 'node:child_process';
import { root, urls } from './lib/infra.mjs';

const main = `${root}/dist/libs/messaging/src/dlq/dlq.main.js`;
execFileSync(`${root}/node_modules/.bin/node`, [`${root}/tools/build.mjs`], { stdio: 'inherit' });
try {
  execFileSync(`${root}/node_modules/.bin/node`, [main, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: urls.database, KAFKA_BROKERS: urls.kafka },
  });
} catch {
  process.exit(1);
}
