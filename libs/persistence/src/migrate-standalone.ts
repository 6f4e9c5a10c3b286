import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { migrate, ormOptions, type ServiceDatabase } from './orm-options';

/**
 * Applies a service's pending migrations and closes the pool: the migration Job of a deployment
 * (infra/k8s/base/apps/migrate-job.yaml), run before the new version's pods. The services still migrate
 * at start, so this is the explicit step, not the only one; re-running it applies nothing.
 */
export async function migrateStandalone(
  database: Pick<ServiceDatabase, 'databaseUrl' | 'schema' | 'migrations'>,
  logger: Logger,
): Promise<string[]> {
  const orm = await MikroORM.init(ormOptions({ ...database, entities: [], poolSize: 1 }));
  try {
    const applied = await migrate(orm, database.schema);
    logger.info({ schema: database.schema, applied }, applied.length > 0 ? 'migrations applied' : 'schema up to date');
    return applied;
  } finally {
    await orm.close();
  }
}
