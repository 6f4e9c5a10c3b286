import { Inject, Injectable, type BeforeApplicationShutdown, type Provider } from '@nestjs/common';
import Redis from 'ioredis';
import type { HealthCheck } from '@huoju/platform';
import { TORCH_EXPORT_CONFIG, type TorchExportConfig } from './torch-export.config';

export const REDIS = Symbol('REDIS');

/** The connection the health check pings; BullMQ gets its own (blocking commands need their own socket). */
export const redisProvider: Provider = {
  provide: REDIS,
  inject: [TORCH_EXPORT_CONFIG],
  useFactory: (config: TorchExportConfig) =>
    new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: false }),
};

@Injectable()
export class RedisHealthCheck implements HealthCheck, BeforeApplicationShutdown {
  readonly name = 'redis';
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async check(): Promise<void> {
    await this.redis.ping();
  }
  async beforeApplicationShutdown(): Promise<void> {
    await this.redis.quit();
  }
}
