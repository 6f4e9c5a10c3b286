import type { RuleSet } from '@huoju/domain';
import { startServiceUnderTest, type ServiceUnderTest } from '@huoju/testing';
import { startValidation } from '../src/bootstrap';
import { validationConfigSchema } from '../src/validation.config';

export type RunningValidation = ServiceUnderTest;

/** validation in-process against the real services; `ruleSetOverrides` rolls out changed rules. */
export function startTestValidation(
  namespace?: string,
  ruleSetOverrides: readonly RuleSet[] = [],
): Promise<RunningValidation> {
  return startServiceUnderTest({
    service: 'validation',
    configSchema: validationConfigSchema,
    start: (config, logger) => startValidation(config, logger, ruleSetOverrides),
    schemas: ['validation'],
    namespace,
  });
}
