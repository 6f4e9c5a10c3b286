import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { HealthCheck } from '../health/health';

export const REDIS = Symbol('REDIS');

/** Readiness of Redis, on the service's shared connection (BullMQ keeps its own: blocking commands need theirs). */
@Injectable()
export class RedisHealthCheck implements HealthCheck, OnApplicationShutdown {
  readonly name = 'redis';
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async check(): Promise<void> {
    await this.redis.ping();
  }

  /** After HTTP has stopped and drained (Nest disposes the server before these hooks): the rate limiter needs Redis to the end. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit();
  }
}

/** One Redis connection per service, injectable as REDIS, with its health check. */
@Global()
@Module({})
export class RedisModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: RedisModule,
      providers: [{ provide: REDIS, useFactory: () => new Redis(url, { maxRetriesPerRequest: 3 }) }, RedisHealthCheck],
      exports: [REDIS, RedisHealthCheck],
    };
  }
}

/**
 * BullMQ connection options from a redis:// or rediss:// URL, with its ACL user and password and TLS for
 * rediss (workers need maxRetriesPerRequest: null).
 */
export function bullConnection(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    db: Number(parsed.pathname.slice(1) || 0),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: { servername: parsed.hostname } } : {}),
    maxRetriesPerRequest: null,
  };
}
