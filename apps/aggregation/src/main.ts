import 'reflect-metadata';
import { createLogger, loadConfig, loadConfiguredForms } from '@huoju/platform';
import { aggregationConfigSchema } from './aggregation.config';
import { startAggregation } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig('aggregation', aggregationConfigSchema);
  const logger = createLogger('aggregation', config.LOG_LEVEL);
  loadConfiguredForms(config, logger);
  await startAggregation(config, logger);
  logger.info(
    { url: `http://${config.HOST}:${config.PORT}`, docs: `http://${config.HOST}:${config.PORT}/docs` },
    'aggregation listening',
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
