import 'reflect-metadata';
import { migrateStandalone } from '@huoju/persistence';
import { createLogger, loadConfig, namespaced } from '@huoju/platform';
import { VALIDATION_SCHEMA } from './app.module';
import { validationConfigSchema } from './validation.config';
import { VALIDATION_MIGRATIONS } from './migrations';

/** `node dist/apps/validation/src/migrate.js` — the migration Job's step for validation: migrate, then exit. */
async function main(): Promise<void> {
  const config = loadConfig(
    'validation',
    validationConfigSchema.pick({ DATABASE_URL: true, HUOJU_NAMESPACE: true, LOG_LEVEL: true }),
  );
  const schema = namespaced(config.HUOJU_NAMESPACE).schema(VALIDATION_SCHEMA);
  await migrateStandalone(
    { databaseUrl: config.DATABASE_URL, schema, migrations: VALIDATION_MIGRATIONS },
    createLogger('validation', config.LOG_LEVEL),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
