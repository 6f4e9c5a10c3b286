import 'reflect-metadata';
import { createLogger, loadConfig, loadConfiguredForms } from '@huoju/platform';
import { startTorchExport } from './bootstrap';
import { torchExportConfigSchema } from './torch-export.config';

async function main(): Promise<void> {
  const config = loadConfig('torch-export', torchExportConfigSchema);
  const logger = createLogger('torch-export', config.LOG_LEVEL);
  loadConfiguredForms(config, logger);
  await startTorchExport(config, logger);
  logger.info(
    {
      url: `http://${config.HOST}:${config.PORT}`,
      docs: `http://${config.HOST}:${config.PORT}/docs`,
      exportDir: config.EXPORT_DIR,
    },
    'torch-export listening',
  );
}

main().catch((error: unknown) => {
  // A configuration error is printed as the list it is; anything else with its stack.
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
