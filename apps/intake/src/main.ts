import 'reflect-metadata';
import { createLogger, loadConfig, loadConfiguredForms } from '@huoju/platform';
import { startIntake } from './bootstrap';
import { intakeConfigSchema } from './intake.config';

async function main(): Promise<void> {
  const config = loadConfig('intake', intakeConfigSchema);
  const logger = createLogger('intake', config.LOG_LEVEL);
  loadConfiguredForms(config, logger);
  await startIntake(config, logger);
  logger.info(
    { url: `http://${config.HOST}:${config.PORT}`, docs: `http://${config.HOST}:${config.PORT}/docs` },
    'intake listening',
  );
}

main().catch((error: unknown) => {
  // A configuration error is printed as the list it is; anything else with its stack.
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
