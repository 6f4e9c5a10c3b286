import type Redis from 'ioredis';
import { CLOCK, REDIS, RequestQuota, type Clock } from '@huoju/platform';
import { AGGREGATION_CONFIG, type AggregationConfig } from '../aggregation.config';

/** On-demand roll-up requests per principal (ROLLUP_QUOTA), counted in Redis across instances. */
export const ROLLUP_QUOTA = Symbol('ROLLUP_QUOTA');

export const rollupQuotaProvider = {
  provide: ROLLUP_QUOTA,
  inject: [REDIS, AGGREGATION_CONFIG, CLOCK],
  useFactory: (redis: Redis, config: AggregationConfig, clock: Clock) =>
    new RequestQuota(redis, { namespace: config.HUOJU_NAMESPACE, name: 'rollup', spec: config.ROLLUP_QUOTA }, () =>
      clock.now(),
    ),
};
