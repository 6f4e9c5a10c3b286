import type Redis from 'ioredis';
import type { ProblemException } from './problem';
import { RequestQuota, quotaEnv } from './quota';

/** Redis that is down: every command fails, so the quota counts in-process. */
const downRedis = {
  multi: () => ({ incr: () => ({ pexpire: () => ({ exec: () => Promise.reject(new Error('down')) }) }) }),
} as unknown as Redis;

describe(RequestQuota.name, () => {
  const caller = { subject: 'k1', role: 'park' as const, scope: ['PT'] };

  it('reads "<n>/hour" and "<n>/day" and refuses anything else', () => {
    expect(quotaEnv.parse('100/day')).toEqual({ limit: 100, window: 'day' });
    expect(quotaEnv.safeParse('0/hour').success).toBe(false);
    expect(quotaEnv.safeParse('10/week').success).toBe(false);
  });

  it('keeps counting while Redis is down, and says when the Shanghai day ends', async () => {
    // 23:00 in Shanghai: the day's window ends in one hour.
    const now = new Date('2026-10-20T15:00:00.000Z');
    const sut = new RequestQuota(
      downRedis,
      { namespace: 't', name: 'export', spec: { limit: 2, window: 'day' } },
      () => now,
    );
    await sut.consume(caller);
    await sut.consume(caller);
    const refusal = await sut.consume(caller).then(
      () => undefined,
      (error: unknown) => error as ProblemException,
    );
    expect(refusal?.status).toBe(429);
    expect(refusal?.extensions).toMatchObject({ retryAfter: 3600, quota: { limit: 2, window: 'day' } });
    await expect(sut.consume({ ...caller, subject: 'k2' })).resolves.toBeUndefined();
  });
});
