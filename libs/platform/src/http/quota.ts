import type Redis from 'ioredis';
import { z } from 'zod';
import type { Principal } from '../auth/principal';
import { ProblemException } from './problem';
import { withTimeout } from './rate-limit';

const REDIS_TIMEOUT_MS = 250;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Days begin at midnight in Shanghai, where the teams work. */
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

export type QuotaWindow = 'hour' | 'day';
export interface QuotaSpec {
  readonly limit: number;
  readonly window: QuotaWindow;
}

/** A quota in the environment: "<requests>/<hour|day>", e.g. EXPORT_QUOTA=100/day. */
export const quotaEnv = z
  .string()
  .regex(/^\d{1,7}\/(hour|day)$/, 'a quota is <requests>/hour or <requests>/day, e.g. 100/day')
  .transform((text): QuotaSpec => {
    const [limit, window] = text.split('/') as [string, QuotaWindow];
    return { limit: Number(limit), window };
  })
  .refine((spec) => spec.limit > 0, 'a quota allows at least one request');

/**
 * How many costly requests (exports, roll-ups) one principal may make per hour or per Shanghai day, on
 * top of the per-minute rate limits: a fixed window counted in Redis, so all instances share it. A
 * request is counted only once it has passed validation and authorization (`consume` is called just
 * before the work is queued). With Redis down or slow the count goes on in-process — never a 500,
 * never an open door.
 */
export class RequestQuota {
  private readonly fallback = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly options: { namespace: string; name: string; spec: QuotaSpec },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Counts the request, or refuses it with 429 problem+json and Retry-After when the quota is used up. */
  async consume(principal: Principal): Promise<void> {
    const { spec, name } = this.options;
    const nowMs = this.now().getTime();
    const { index, endsAt } = windowOf(spec.window, nowMs);
    const key = `${this.options.namespace || 'huoju'}:quota:${name}:${principal.subject}:${index}`;
    const used = await this.increment(key, endsAt - nowMs + 60_000);
    if (used <= spec.limit) return;
    const retryAfter = Math.max(1, Math.ceil((endsAt - nowMs) / 1000));
    const per = spec.window === 'hour' ? 'an hour' : 'a day';
    const perZh = spec.window === 'hour' ? '每小时' : '每天';
    throw new ProblemException(
      429,
      'REQUEST.QUOTA_EXCEEDED',
      'Quota used up',
      `You may make ${spec.limit} ${name} requests ${per}; retry in ${retryAfter} s.`,
      [],
      `${perZh}最多可提交${spec.limit}次${name === 'export' ? '导出' : '汇总'}请求，请${retryAfter}秒后重试`,
      { retryAfter, quota: { name, limit: spec.limit, window: spec.window } },
    );
  }

  private async increment(key: string, ttlMs: number): Promise<number> {
    try {
      const result = await withTimeout(this.redis.multi().incr(key).pexpire(key, ttlMs, 'NX').exec(), REDIS_TIMEOUT_MS);
      if (!result || result.some(([error]) => error)) throw new Error('quota counter failed');
      return Number(result[0]![1]);
    } catch {
      if (this.fallback.size > 10_000) this.fallback.clear();
      const used = (this.fallback.get(key) ?? 0) + 1;
      this.fallback.set(key, used);
      return used;
    }
  }
}

function windowOf(window: QuotaWindow, nowMs: number): { index: number; endsAt: number } {
  if (window === 'hour') {
    const index = Math.floor(nowMs / HOUR_MS);
    return { index, endsAt: (index + 1) * HOUR_MS };
  }
  const index = Math.floor((nowMs + SHANGHAI_OFFSET_MS) / DAY_MS);
  return { index, endsAt: (index + 1) * DAY_MS - SHANGHAI_OFFSET_MS };
}
