import 'reflect-metadata';
import { migrateStandalone } from '@huoju/persistence';
import { createLogger, loadConfig, namespaced } from '@huoju/platform';
import { TORCH_EXPORT_SCHEMA } from './app.module';
import { torchExportConfigSchema } from './torch-export.config';
import { TORCH_EXPORT_MIGRATIONS } from './migrations';

/** `node dist/apps/torch-export/src/migrate.js` — the migration Job's step for torch-export: migrate, then exit. */
async function main(): Promise<void> {
  const config = loadConfig(
    'torch-export',
    torchExportConfigSchema.pick({ DATABASE_URL: true, HUOJU_NAMESPACE: true, LOG_LEVEL: true }),
  );
  const schema = namespaced(config.HUOJU_NAMESPACE).schema(TORCH_EXPORT_SCHEMA);
  await migrateStandalone(
    { databaseUrl: config.DATABASE_URL, schema, migrations: TORCH_EXPORT_MIGRATIONS },
    createLogger('torch-export', config.LOG_LEVEL),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
