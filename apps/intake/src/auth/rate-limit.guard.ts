import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { ProblemException, REDIS, type Principal } from '@huoju/platform';
import { INTAKE_CONFIG, type IntakeConfig } from '../intake.config';

/**
 * A fixed one-minute window per caller (token subject, else client address), counted in Redis so every
 * intake instance shares it; while Redis is unreachable each instance counts on its own instead of
 * failing the request. Runs after authentication.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly local = new Map<string, number>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    if (request.url.startsWith('/health') || request.url.startsWith('/docs')) return true;
    const caller = request.principal?.subject ?? `ip:${request.ip}`;
    const window = Math.floor(Date.now() / 60_000);
    const key = `${this.config.HUOJU_NAMESPACE || 'huoju'}:ratelimit:${caller}:${window}`;
    const count = await this.count(key, window);
    const limit = this.config.RATE_LIMIT_PER_MINUTE;
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    void reply.header('x-ratelimit-limit', limit).header('x-ratelimit-remaining', Math.max(0, limit - count));
    if (count > limit) {
      const retryAfter = 60 - Math.floor((Date.now() / 1000) % 60);
      void reply.header('retry-after', retryAfter);
      throw new ProblemException(
        429,
        'REQUEST.RATE_LIMITED',
        'Too many requests',
        `More than ${limit} requests a minute; retry in ${retryAfter} s.`,
        [],
        `每分钟请求超过${limit}次，请${retryAfter}秒后重试`,
      );
    }
    return true;
  }

  private async count(key: string, window: number): Promise<number> {
    try {
      const [[, count]] = (await this.redis.multi().incr(key).expire(key, 120).exec()) as [
        [null, number],
        [null, number],
      ];
      return count;
    } catch {
      for (const stale of this.local.keys()) if (!stale.endsWith(`:${window}`)) this.local.delete(stale);
      const count = (this.local.get(key) ?? 0) + 1;
      this.local.set(key, count);
      return count;
    }
  }
}
