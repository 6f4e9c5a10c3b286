import 'reflect-metadata';
import { migrateStandalone } from '@huoju/persistence';
import { createLogger, loadConfig, namespaced } from '@huoju/platform';
import { INTAKE_SCHEMA } from './app.module';
import { intakeConfigSchema } from './intake.config';
import { INTAKE_MIGRATIONS } from './migrations';

/** `node dist/apps/intake/src/migrate.js` — the migration Job's step for intake: migrate, then exit. */
async function main(): Promise<void> {
  const config = loadConfig(
    'intake',
    intakeConfigSchema.pick({ DATABASE_URL: true, HUOJU_NAMESPACE: true, LOG_LEVEL: true }),
  );
  const schema = namespaced(config.HUOJU_NAMESPACE).schema(INTAKE_SCHEMA);
  await migrateStandalone(
    { databaseUrl: config.DATABASE_URL, schema, migrations: INTAKE_MIGRATIONS },
    createLogger('intake', config.LOG_LEVEL),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
