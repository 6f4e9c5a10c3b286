import 'reflect-metadata';
import { migrateStandalone } from '@huoju/persistence';
import { createLogger, loadConfig, namespaced } from '@huoju/platform';
import { aggregationConfigSchema } from './aggregation.config';
import { AGGREGATION_MIGRATIONS } from './migrations';

/** `node dist/apps/aggregation/src/migrate.js` — the migration Job's step for aggregation: migrate, then exit. */
async function main(): Promise<void> {
  const config = loadConfig(
    'aggregation',
    aggregationConfigSchema.pick({
      DATABASE_URL: true,
      HUOJU_NAMESPACE: true,
      LOG_LEVEL: true,
      AGGREGATION_SCHEMA: true,
    }),
  );
  const schema = namespaced(config.HUOJU_NAMESPACE).schema(config.AGGREGATION_SCHEMA);
  await migrateStandalone(
    { databaseUrl: config.DATABASE_URL, schema, migrations: AGGREGATION_MIGRATIONS },
    createLogger('aggregation', config.LOG_LEVEL),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
