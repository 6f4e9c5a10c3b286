import { Global, Injectable, Module, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import {
  ThrottlerGuard,
  ThrottlerModule,
  ThrottlerStorageService,
  type ThrottlerLimitDetail,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type Redis from 'ioredis';
import type { Principal } from '../auth/principal';
import { REDIS } from '../redis/redis.module';
import { ProblemException } from './problem';

/** A Redis answer slower than this counts as Redis being down: the request is counted in-process instead. */
const REDIS_TIMEOUT_MS = 250;

/**
 * @nestjs/throttler storage in Redis, so every instance of a service shares the counts: a fixed window per
 * key (INCR + PEXPIRE NX in one MULTI). Written here because the maintained Redis storages for throttler
 * bring a second Redis client library; this one uses the service's ioredis connection. When Redis fails or
 * is slow, the throttler's own in-process storage takes over — never a 500, never an open door.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly fallback = new ThrottlerStorageService();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<Awaited<ReturnType<ThrottlerStorage['increment']>>> {
    try {
      const redisKey = `${this.prefix}:ratelimit:${throttlerName}:${key}`;
      const result = await withTimeout(
        this.redis.multi().incr(redisKey).pexpire(redisKey, ttl, 'NX').pttl(redisKey).exec(),
        REDIS_TIMEOUT_MS,
      );
      if (!result || result.some(([error]) => error)) throw new Error('rate-limit counter failed');
      const totalHits = Number(result[0]![1]);
      const timeToExpire = Math.max(1, Math.ceil(Number(result[2]![1]) / 1000));
      const isBlocked = totalHits > limit;
      return { totalHits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
    } catch {
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  onApplicationShutdown(): void {
    this.fallback.onApplicationShutdown();
  }
}

/** A promise that rejects after `ms`: a Redis counter that does not answer in time counts as down. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

type TrackedRequest = { principal?: Principal; ip?: string; url?: string };

/** Counts per principal (token subject, else address) and per client address; refuses with 429 problem+json. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const url = context.switchToHttp().getRequest<TrackedRequest>().url ?? '';
    return url.startsWith('/health') || url.startsWith('/docs');
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire || detail.timeToExpire);
    throw new ProblemException(
      429,
      'REQUEST.RATE_LIMITED',
      'Too many requests',
      `More than ${detail.limit} requests a minute; retry in ${retryAfter} s.`,
      [],
      `每分钟请求超过${detail.limit}次，请${retryAfter}秒后重试`,
      { retryAfter },
    );
  }
}

export interface RateLimitOptions {
  /** Requests a minute per principal. */
  readonly perMinute: number;
  /** Requests a minute per client address (every caller behind it together). */
  readonly perAddressPerMinute: number;
  readonly namespace: string;
}

/** The throttler with Redis storage; the app registers RateLimitGuard as an APP_GUARD after AuthGuard. */
@Global()
@Module({})
export class RateLimitModule {
  static forRoot(options: RateLimitOptions): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [REDIS],
          useFactory: (redis: Redis) => ({
            storage: new RedisThrottlerStorage(redis, options.namespace || 'huoju'),
            throttlers: [
              {
                name: 'principal',
                ttl: 60_000,
                limit: options.perMinute,
                getTracker: (request: TrackedRequest) => request.principal?.subject ?? `ip:${request.ip}`,
              },
              {
                name: 'address',
                ttl: 60_000,
                limit: options.perAddressPerMinute,
                getTracker: (request: TrackedRequest) => request.ip ?? 'unknown',
              },
            ],
          }),
        }),
      ],
      exports: [ThrottlerModule],
    };
  }
}
