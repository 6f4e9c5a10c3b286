import { Client } from 'pg';
import { dockerAvailable, hostAndPort, infrastructureUrls, isReachable, startProjectKafka } from './infrastructure';
import { startContainers } from './containers';

/**
 * Jest global setup for integration and end-to-end tests: use the running Kafka, PostgreSQL and Redis
 * when they answer (CI and this machine), start the project's own Kafka when it does not, and fall back
 * to Testcontainers only where a Docker engine exists. Workers inherit the URLs through process.env.
 */
export default async function globalSetup(): Promise<void> {
  const urls = infrastructureUrls();
  const kafka = hostAndPort(urls.kafkaBrokers.split(',')[0]!, 9092);
  const postgres = hostAndPort(urls.databaseUrl, 5432);
  const redis = hostAndPort(urls.redisUrl, 6379);

  const missing: ('postgres' | 'redis' | 'kafka')[] = [];
  if (!(await isReachable(postgres.host, postgres.port))) missing.push('postgres');
  if (!(await isReachable(redis.host, redis.port))) missing.push('redis');
  if (!(await isReachable(kafka.host, kafka.port))) {
    if (kafka.host === '127.0.0.1' || kafka.host === 'localhost') {
      startProjectKafka();
      (globalThis as { __huojuStartedKafka?: boolean }).__huojuStartedKafka = true;
    } else {
      missing.push('kafka');
    }
  }

  if (missing.length > 0) {
    if (!dockerAvailable()) {
      throw new Error(
        `Integration tests need ${missing.join(', ')}, which do not answer at ${JSON.stringify(urls)} ` +
          'and there is no Docker engine for Testcontainers. Start them, or set DATABASE_URL / REDIS_URL / KAFKA_BROKERS.',
      );
    }
    Object.assign(process.env, await startContainers(missing));
  }

  process.env.KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? urls.kafkaBrokers;
  process.env.DATABASE_URL = process.env.DATABASE_URL ?? urls.databaseUrl;
  process.env.REDIS_URL = process.env.REDIS_URL ?? urls.redisUrl;
  await ensureDatabase(process.env.DATABASE_URL);
}

/** Creates the test database on first use (CREATE DATABASE cannot run inside a transaction or IF NOT EXISTS). */
async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    // Two Jest runs creating it at once: the loser sees a duplicate; the database exists either way.
    if (!String(error).includes('already exists')) throw error;
  } finally {
    await client.end();
  }
}
