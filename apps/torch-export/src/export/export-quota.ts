import type Redis from 'ioredis';
import { CLOCK, REDIS, RequestQuota, type Clock } from '@huoju/platform';
import { TORCH_EXPORT_CONFIG, type TorchExportConfig } from '../torch-export.config';

/** Export requests per principal (EXPORT_QUOTA), counted in Redis across instances. */
export const EXPORT_QUOTA = Symbol('EXPORT_QUOTA');

export const exportQuotaProvider = {
  provide: EXPORT_QUOTA,
  inject: [REDIS, TORCH_EXPORT_CONFIG, CLOCK],
  useFactory: (redis: Redis, config: TorchExportConfig, clock: Clock) =>
    new RequestQuota(redis, { namespace: config.HUOJU_NAMESPACE, name: 'export', spec: config.EXPORT_QUOTA }, () =>
      clock.now(),
    ),
};
