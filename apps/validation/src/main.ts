import 'reflect-metadata';
import { createLogger, loadConfig, loadConfiguredForms } from '@huoju/platform';
import { startValidation } from './bootstrap';
import { validationConfigSchema } from './validation.config';

async function main(): Promise<void> {
  const config = loadConfig('validation', validationConfigSchema);
  const logger = createLogger('validation', config.LOG_LEVEL);
  loadConfiguredForms(config, logger);
  await startValidation(config, logger);
  logger.info({ url: `http://${config.HOST}:${config.PORT}` }, 'validation running');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
