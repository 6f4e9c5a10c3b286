import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';

/**
 * Runs `work` while holding a PostgreSQL session advisory lock named `key`, on a connection of its own (the
 * pool may hand `work` any connection): instances of a service that start together take turns, so what
 * must happen once (migrations, a rule-set roll-out) happens once. The lock ends with the connection too,
 * so an instance that dies holding it never blocks the others.
 */
export async function withAdvisoryLock<T>(orm: MikroORM, key: string, work: () => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: orm.config.get('clientUrl') });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
