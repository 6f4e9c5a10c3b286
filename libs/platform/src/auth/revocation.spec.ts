import type Redis from 'ioredis';
import { RevocationList } from './revocation';

/** A Redis whose sorted-set read can be held, to interleave a poll with a revocation. */
function fakeRedis() {
  const set = new Map<string, number>();
  let hold: Promise<void> | undefined;
  const redis = {
    multi: () => {
      const ops: (() => void)[] = [];
      const chain = {
        zadd: (_key: string, score: number, member: string) => (ops.push(() => set.set(member, score)), chain),
        zremrangebyscore: () => chain,
        exec: async () => ops.forEach((op) => op()),
      };
      return chain;
    },
    zrange: async () => {
      // The read happens now; its answer arrives after `hold` resolves.
      const rows = [...set].flatMap(([member, score]) => [member, String(score)]);
      await hold;
      return rows;
    },
  };
  return {
    redis: redis as unknown as Redis,
    holdReads: () => {
      let release!: () => void;
      hold = new Promise<void>((resolve) => (release = resolve));
      return () => {
        hold = undefined;
        release();
      };
    },
  };
}

const token = { subject: 'alice', jti: 'j1', issuedAt: Math.floor(Date.now() / 1000) - 10 };

describe('RevocationList', () => {
  it('keeps its own revocation when a poll that began before it answers without it', async () => {
    const { redis, holdReads } = fakeRedis();
    const list = new RevocationList(redis, 'revoked', undefined, 60_000);
    await list.onModuleInit();
    const release = holdReads();
    const poll = (list as unknown as { poll(): Promise<void> }).poll();
    await list.revoke({ subject: 'alice' });
    release();
    await poll;
    expect(list.isRevoked(token)).toBe(true);
    list.onModuleDestroy();
  });

  it('passes tokens issued after a subject was revoked, and others’ tokens', async () => {
    const { redis } = fakeRedis();
    const list = new RevocationList(redis, 'revoked', undefined, 60_000);
    await list.onModuleInit();
    await list.revoke({ subject: 'alice' }, Date.now() - 60_000);
    expect(list.isRevoked(token)).toBe(false);
    expect(list.isRevoked({ ...token, subject: 'bob', issuedAt: token.issuedAt - 3600 })).toBe(false);
    list.onModuleDestroy();
  });
});
