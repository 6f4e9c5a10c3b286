import type Redis from 'ioredis';
import { RedisThrottlerStorage } from './rate-limit';

describe(RedisThrottlerStorage.name, () => {
  it('counts in-process when Redis fails, instead of failing the request', async () => {
    const broken = {
      multi: () => ({
        incr: () => ({ pexpire: () => ({ pttl: () => ({ exec: () => Promise.reject(new Error('ECONNREFUSED')) }) }) }),
      }),
    } as unknown as Redis;
    const sut = new RedisThrottlerStorage(broken, 'test');
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push(await sut.increment('caller', 60_000, 2, 0, 'principal'));
    expect(hits.map((hit) => hit.totalHits)).toEqual([1, 2, 3]);
    expect(hits[2]!.isBlocked).toBe(true);
    sut.onApplicationShutdown();
  });

  it('counts in-process when Redis hangs past the timeout', async () => {
    const hanging = {
      multi: () => ({
        incr: () => ({ pexpire: () => ({ pttl: () => ({ exec: () => new Promise(() => undefined) }) }) }),
      }),
    } as unknown as Redis;
    const sut = new RedisThrottlerStorage(hanging, 'test');
    await expect(sut.increment('caller', 60_000, 5, 0, 'principal')).resolves.toMatchObject({ totalHits: 1 });
    sut.onApplicationShutdown();
  });
});
