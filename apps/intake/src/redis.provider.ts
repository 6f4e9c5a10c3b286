import { Inject, Injectable, type BeforeApplicationShutdown, type Provider } from '@nestjs/common';
import Redis from 'ioredis';
import type { HealthCheck } from '@huoju/platform';
import { INTAKE_CONFIG, type IntakeConfig } from './intake.config';

export const REDIS = Symbol('REDIS');

export const redisProvider: Provider = {
  provide: REDIS,
  inject: [INTAKE_CONFIG],
  useFactory: (config: IntakeConfig) => new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: false }),
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
