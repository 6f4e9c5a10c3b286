import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';

/** The SQL the service's database wiring runs itself: creating its schema and answering the readiness probe. */
export async function createSchemaIfMissing(orm: MikroORM, quotedSchema: string): Promise<void> {
  // An identifier cannot be a bound parameter; the caller passes it quoted (quoteIdentifier).
  await orm.em.getConnection().execute(`CREATE SCHEMA IF NOT EXISTS ${quotedSchema}`);
}

/** A round trip on a pooled connection: the database answers. */
export async function ping(em: EntityManager): Promise<void> {
  await em.execute('SELECT 1');
}
