import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RuleSet } from '@huoju/domain';
import { createLogger, loadConfig } from '@huoju/platform';
import { TEST_CLOCK_START, cleanUpNamespace, serviceEnvironment, testNamespace } from '@huoju/testing';
import { startValidation } from '../src/bootstrap';
import { validationConfigSchema } from '../src/validation.config';

export interface RunningValidation {
  readonly app: NestFastifyApplication;
  readonly namespace: string;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function startTestValidation(
  namespace = testNamespace('validation'),
  ruleSetOverrides: readonly RuleSet[] = [],
): Promise<RunningValidation> {
  const config = loadConfig(
    'validation',
    validationConfigSchema,
    serviceEnvironment(namespace, { PORT: '0', HUOJU_CLOCK_START: TEST_CLOCK_START }),
  );
  const app = await startValidation(config, createLogger('validation', config.LOG_LEVEL), ruleSetOverrides);
  return {
    app,
    namespace,
    async stop(options = {}) {
      await app.close();
      if (!options.keepData) await cleanUpNamespace(namespace, ['validation']);
    },
  };
}
