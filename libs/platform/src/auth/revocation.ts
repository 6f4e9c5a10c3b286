import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';

/** Tokens live at most this long (intake refuses a longer AUTH_TOKEN_TTL_SECONDS), so older entries can go. */
export const MAX_TOKEN_TTL_SECONDS = 900;
const HORIZON_MS = (MAX_TOKEN_TTL_SECONDS + 60) * 1000;

export type Revocation = { subject: string } | { jti: string };

/**
 * Revoked credentials every service refuses within seconds: a Redis sorted set (member `sub:<subject>`
 * or `jti:<token id>`, score = when) that each service polls every second into memory, so checking a
 * token costs no round trip. A subject's revocation ends every token issued up to that moment; its later
 * tokens (a re-enabled account) pass. If Redis is unreachable the last copy stays in force.
 */
export class RevocationList implements OnModuleInit, OnModuleDestroy {
  private entries = new Map<string, number>();
  /** This process's own revocations until a poll has read them back (a poll begun before them must not drop them). */
  private readonly ownUnconfirmed = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly logger?: Logger,
    private readonly pollMs = 1000,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async revoke(revocation: Revocation, at = Date.now()): Promise<void> {
    const member = 'subject' in revocation ? `sub:${revocation.subject}` : `jti:${revocation.jti}`;
    this.entries.set(member, at);
    this.ownUnconfirmed.set(member, at);
    await this.redis
      .multi()
      .zadd(this.key, at, member)
      .zremrangebyscore(this.key, '-inf', at - HORIZON_MS)
      .exec();
  }

  isRevoked(token: { subject: string; jti: string; issuedAt: number }): boolean {
    if (this.entries.has(`jti:${token.jti}`)) return true;
    const subjectRevokedAt = this.entries.get(`sub:${token.subject}`);
    return subjectRevokedAt !== undefined && subjectRevokedAt >= token.issuedAt * 1000;
  }

  private async poll(): Promise<void> {
    try {
      const rows = await this.redis.zrange(this.key, Date.now() - HORIZON_MS, '+inf', 'BYSCORE', 'WITHSCORES');
      const entries = new Map<string, number>();
      for (let index = 0; index + 1 < rows.length; index += 2) entries.set(rows[index]!, Number(rows[index + 1]));
      for (const [member, at] of this.ownUnconfirmed) {
        if ((entries.get(member) ?? -Infinity) >= at || at < Date.now() - HORIZON_MS)
          this.ownUnconfirmed.delete(member);
        else entries.set(member, at);
      }
      this.entries = entries;
      if (this.failing) this.logger?.info('revocation list reachable again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger?.warn({ err: error }, 'revocation list unreachable; keeping the last copy');
      this.failing = true;
    }
  }
}
