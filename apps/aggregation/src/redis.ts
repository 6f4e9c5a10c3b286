import { Inject, Injectable, type BeforeApplicationShutdown, type Provider } from '@nestjs/common';
import Redis from 'ioredis';
import type { HealthCheck } from '@huoju/platform';
import { AGGREGATION_CONFIG, type AggregationConfig } from './aggregation.config';

export const REDIS = Symbol('REDIS');

export const redisProvider: Provider = {
  provide: REDIS,
  inject: [AGGREGATION_CONFIG],
  useFactory: (config: AggregationConfig) => new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 }),
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

/** BullMQ connection options from a redis:// URL (workers need maxRetriesPerRequest: null). */
export function bullConnection(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    db: Number(parsed.pathname.slice(1) || 0),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    maxRetriesPerRequest: null,
  };
}
