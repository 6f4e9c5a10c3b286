import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { startHttpService } from '@huoju/messaging';
import { IntakeModule } from './app.module';
import type { IntakeConfig } from './intake.config';

/** Builds and starts intake: HTTP plus its Kafka consumer. Used by main.ts and the tests. */
export function startIntake(config: IntakeConfig, logger: Logger): Promise<NestFastifyApplication> {
  return startHttpService(IntakeModule.register(config, logger), {
    service: 'intake',
    title: 'Huoju intake',
    description: 'Roster, Torch forms, filings with revisions and receipts (火炬统计 填报)',
    logger,
    contract: 'intake',
    bodyLimit: config.BODY_LIMIT_BYTES,
    port: config.PORT,
    host: config.HOST,
    trustProxy: config.TRUST_PROXY,
  });
}
