// Finds or starts what the platform needs: PostgreSQL and Redis must run already (or be given by URL);
// Kafka is started from infra/kafka when nothing answers on its port. Plain Node, no build needed.
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export const urls = {
  database: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/huoju',
  redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  kafka: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
};

export function reachable(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function hostPort(url, port) {
  const parsed = new URL(url.includes('://') ? url : `tcp://${url}`);
  return [parsed.hostname, Number(parsed.port || port)];
}

/** Returns { startedKafka } so the caller can stop what it started. */
export async function ensureInfrastructure({ log = console.log } = {}) {
  const [pgHost, pgPort] = hostPort(urls.database, 5432);
  const [redisHost, redisPort] = hostPort(urls.redis, 6379);
  const [kafkaHost, kafkaPort] = hostPort(urls.kafka.split(',')[0], 9092);
  if (!(await reachable(pgHost, pgPort)))
    throw new Error(
      `PostgreSQL does not answer at ${pgHost}:${pgPort} (DATABASE_URL=${urls.database}); start it or use docker compose up -d`,
    );
  if (!(await reachable(redisHost, redisPort)))
    throw new Error(
      `Redis does not answer at ${redisHost}:${redisPort} (REDIS_URL=${urls.redis}); start it or use docker compose up -d`,
    );
  let startedKafka = false;
  if (await reachable(kafkaHost, kafkaPort)) {
    log(`[infra] Kafka answers at ${kafkaHost}:${kafkaPort}; reusing it`);
  } else {
    log('[infra] starting Kafka from infra/kafka (first run downloads it from Maven Central)');
    execFileSync('bash', [`${root}/infra/kafka/kafka.sh`, 'start'], { stdio: 'inherit' });
    startedKafka = true;
  }
  await ensureDatabase(urls.database, log);
  return { startedKafka };
}

export function stopKafka() {
  execFileSync('bash', [`${root}/infra/kafka/kafka.sh`, 'stop'], { stdio: 'inherit' });
}

async function ensureDatabase(databaseUrl, log) {
  const { default: pg } = await import('pg');
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      log(`[infra] created database ${name}`);
    }
  } finally {
    await client.end();
  }
}
