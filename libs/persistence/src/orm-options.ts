import { Migrator } from '@mikro-orm/migrations';
import type { Constructor } from '@mikro-orm/core';
import type { Migration } from '@mikro-orm/migrations';
import { defineConfig, type MikroORM, type Options } from '@mikro-orm/postgresql';
import { withAdvisoryLock } from './advisory-lock.query';
import { createSchemaIfMissing } from './database.query';
import { CommitTracker } from './transient-retry';

export interface ServiceDatabase {
  readonly databaseUrl: string;
  /** The service's own schema; no service reads another's. */
  readonly schema: string;
  readonly entities: Options['entities'];
  /** Hand-written, reviewed migrations, in order. */
  readonly migrations: readonly Constructor<Migration>[];
  readonly poolSize?: number;
  readonly debug?: boolean;
}

/**
 * MikroORM options for one service. Every pooled connection's search_path is the service schema, so
 * migrations and hand-written SQL use unqualified table names and the same files serve any namespace.
 */
export function ormOptions(database: ServiceDatabase): Options {
  return defineConfig({
    clientUrl: database.databaseUrl,
    schema: database.schema,
    entities: database.entities,
    extensions: [Migrator],
    subscribers: [new CommitTracker()],
    driverOptions: {
      // JIT off: compiling a roll-up's statements took longer than running them (2.5 s of 3.3 s for one
      // park's members at 25,000 enterprises, measured with EXPLAIN ANALYZE); the services' SQL is short.
      options: `-c search_path=${quoteIdentifier(database.schema)},public -c jit=off`,
      max: database.poolSize ?? 10,
    },
    pool: { min: 0, max: database.poolSize ?? 10 },
    migrations: {
      migrationsList: database.migrations.map((migration) => ({ name: migration.name, class: migration })),
      schema: database.schema,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    discovery: { warnWhenNoEntities: false },
    debug: database.debug ?? false,
    allowGlobalContext: false,
  });
}

/**
 * Creates the schema when missing and applies pending migrations: run at start, before any consumer or relay.
 * Instances starting together take turns (an advisory lock per schema); the later ones find nothing to do.
 */
export async function migrate(orm: MikroORM, schema: string): Promise<string[]> {
  return withAdvisoryLock(orm, `huoju.migrate.${schema}`, async () => {
    await createSchemaIfMissing(orm, quoteIdentifier(schema));
    const applied = await orm.migrator.up();
    return applied.map((migration) => migration.name);
  });
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
