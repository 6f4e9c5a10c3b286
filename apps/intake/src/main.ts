import 'reflect-metadata';
import { createTransport, KAFKA, MESSAGING_OPTIONS, type MessagingOptions } from '@huoju/messaging';
import { createHttpApp, createLogger, loadConfig } from '@huoju/platform';
import type { Kafka } from 'kafkajs';
import { IntakeModule } from './app.module';
import { intakeConfigSchema } from './intake.config';

async function main(): Promise<void> {
  const config = loadConfig('intake', intakeConfigSchema);
  const logger = createLogger('intake', config.LOG_LEVEL);
  const app = await createHttpApp(IntakeModule.register(config, logger), {
    service: 'intake',
    title: 'Huoju intake',
    description: 'Roster, Torch forms, filings with revisions and receipts (火炬统计 填报)',
    logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
  });
  app.connectMicroservice({ strategy: createTransport(app.get<Kafka>(KAFKA), logger, app.get<MessagingOptions>(MESSAGING_OPTIONS)) }, { inheritAppConfig: false });
  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);
  logger.info({ url: `http://${config.HOST}:${config.PORT}`, docs: `http://${config.HOST}:${config.PORT}/docs` }, 'intake listening');
}

main().catch((error: unknown) => {
  // A configuration error is printed as the list it is; anything else with its stack.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
