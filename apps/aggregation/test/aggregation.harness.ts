import { startServiceUnderTest, type ServiceUnderTest } from '@huoju/testing';
import { aggregationConfigSchema } from '../src/aggregation.config';
import { startAggregation } from '../src/bootstrap';

export type RunningAggregation = ServiceUnderTest;

/** aggregation in-process against the real services, with a short roll-up debounce for tests. */
export function startTestAggregation(
  env: Record<string, string> = {},
  namespace?: string,
): Promise<RunningAggregation> {
  return startServiceUnderTest({
    service: 'aggregation',
    configSchema: aggregationConfigSchema,
    start: startAggregation,
    schemas: [env.AGGREGATION_SCHEMA ?? 'aggregation'],
    env: { ROLLUP_DEBOUNCE_MS: '200', ROLLUP_QUIET_MS: '500', ...env },
    namespace,
  });
}
