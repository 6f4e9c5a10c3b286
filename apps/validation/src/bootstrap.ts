import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { RuleSet } from '@huoju/domain';
import { startHttpService } from '@huoju/messaging';
import { ValidationModule } from './app.module';
import type { ValidationConfig } from './validation.config';

export function startValidation(
  config: ValidationConfig,
  logger: Logger,
  ruleSetOverrides: readonly RuleSet[] = [],
): Promise<NestFastifyApplication> {
  return startHttpService(ValidationModule.register(config, logger, ruleSetOverrides), {
    service: 'validation',
    title: 'Huoju validation',
    description:
      'Validates submitted filings with the versioned rule engine (health only; rules are published by intake)',
    logger,
    port: config.PORT,
    host: config.HOST,
  });
}
