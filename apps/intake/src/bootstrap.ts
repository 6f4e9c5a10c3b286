import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { createTransport, KAFKA, MESSAGING_OPTIONS, type MessagingOptions } from '@huoju/messaging';
import { createHttpApp } from '@huoju/platform';
import { IntakeModule } from './app.module';
import type { IntakeConfig } from './intake.config';

/** Builds and starts intake: HTTP on Fastify plus its Kafka consumer. Used by main.ts and the tests. */
export async function startIntake(config: IntakeConfig, logger: Logger): Promise<NestFastifyApplication> {
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
  return app;
}
