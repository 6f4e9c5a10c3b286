import { createHash } from 'node:crypto';
import type { Principal, TokenIssuer } from '@huoju/platform';
import type { IntakeConfig } from '../intake.config';
import type { AttemptLimiter, AttemptSubject } from '../auth/attempt-limiter';
import { Account } from './account.entity';
import type { AccountRepository } from './account.repository';
import { hashPassword } from './password';
import type { RefreshTokenRepository } from './refresh-token.repository';
import { SessionService } from './session.service';

const PASSWORD = 'Lantern-harbour-2026!';
/** argon2id hashing is deliberately slow, and slower on a shared machine. */
const HASHING_MS = 60_000;
const config = {
  AUTH_TOKEN_TTL_SECONDS: 900,
  AUTH_REFRESH_TTL_SECONDS: 86_400,
  AUTH_REFRESH_REUSE_GRACE_SECONDS: 10,
} as IntakeConfig;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
let passwordHash: string;
beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
}, HASHING_MS);

/** Accounts, refresh tokens and the attempt limiter in memory; the token issuer records what it signs. */
function setUp() {
  const accounts = new Map<string, Account>();
  accounts.set(
    'street-a',
    Object.assign(new Account(), {
      username: 'street-a',
      displayName: '街镇联络员',
      passwordHash,
      role: 'street',
      scope: ['310101002'],
      disabled: false,
    }),
  );
  const tokens = new Map<string, { familyId: string; username: string; usedAt?: Date; revokedAt?: Date }>();
  const failures: AttemptSubject[][] = [];
  const minted: Principal[] = [];
  let wait = 0;
  const accountRepository = {
    find: async (username: string) => accounts.get(username) ?? null,
    recordSignIn: async (username: string, at: Date) => void (accounts.get(username)!.lastSignInAt = at),
  } as unknown as AccountRepository;
  const refreshTokens = {
    insert: async (token: { tokenSha256: string; familyId: string; username: string }) =>
      void tokens.set(token.tokenSha256, { familyId: token.familyId, username: token.username }),
    rotate: async (presented: string, successor: { tokenSha256: string; issuedAt: Date }) => {
      const token = tokens.get(presented);
      if (!token || token.revokedAt) return { outcome: 'invalid' };
      if (token.usedAt) {
        for (const t of tokens.values()) if (t.familyId === token.familyId) t.revokedAt = successor.issuedAt;
        return { outcome: 'reused', username: token.username, familyId: token.familyId };
      }
      token.usedAt = successor.issuedAt;
      tokens.set(successor.tokenSha256, { familyId: token.familyId, username: token.username });
      return { outcome: 'rotated', username: token.username, familyId: token.familyId };
    },
    revokeAllOf: async (username: string, at: Date) => {
      for (const t of tokens.values()) if (t.username === username) t.revokedAt = at;
    },
    revokeFamilyOf: async (presented: string, at: Date) => {
      const token = tokens.get(presented);
      if (!token) return undefined;
      for (const t of tokens.values()) if (t.familyId === token.familyId) t.revokedAt = at;
      return token.username;
    },
  } as unknown as RefreshTokenRepository;
  const attempts = {
    retryAfter: async () => wait,
    recordFailure: async (subjects: AttemptSubject[]) => void failures.push(subjects),
    recordSuccess: async () => undefined,
  } as unknown as AttemptLimiter;
  const issuer = {
    mint: async (principal: Principal, ttl: number) => {
      minted.push(principal);
      return { token: `token-${minted.length}`, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
    },
  } as unknown as TokenIssuer;
  const sut = new SessionService(accountRepository, refreshTokens, attempts, issuer, config);
  return { sut, accounts, tokens, failures, minted, lock: (seconds: number) => (wait = seconds) };
}

describe(SessionService.name, () => {
  it(
    'signs a person in: an access token for the account’s role and scope and a refresh token kept only as a hash',
    async () => {
      const { sut, accounts, tokens, minted } = setUp();
      const outcome = await sut.signIn({ username: 'street-a', password: PASSWORD }, '10.0.0.1');
      if (!outcome.ok) throw new Error('expected a session');
      expect(outcome.principal).toEqual({ subject: 'account:street-a', role: 'street', scope: ['310101002'] });
      expect(minted).toEqual([outcome.principal]);
      expect(outcome.session.body.account).toMatchObject({ username: 'street-a', role: 'street' });
      expect(outcome.session.refreshMaxAgeSeconds).toBe(86_400);
      expect([...tokens.keys()]).toEqual([sha256(outcome.session.refreshToken)]);
      expect(accounts.get('street-a')!.lastSignInAt).toBeInstanceOf(Date);
    },
    HASHING_MS,
  );

  it(
    'answers a wrong password and an unknown name alike, counting the failure per name and address',
    async () => {
      const { sut, failures, minted } = setUp();
      const wrong = await sut.signIn({ username: 'street-a', password: 'Wrong-harbour-2026!' }, '10.0.0.1');
      const unknown = await sut.signIn({ username: 'nobody', password: PASSWORD }, '10.0.0.1');
      for (const outcome of [wrong, unknown]) {
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.problem.status).toBe(401);
      }
      expect(failures).toEqual([
        [
          { kind: 'name', value: 'street-a' },
          { kind: 'address', value: '10.0.0.1' },
        ],
        [
          { kind: 'name', value: 'nobody' },
          { kind: 'address', value: '10.0.0.1' },
        ],
      ]);
      expect(minted).toEqual([]);
    },
    HASHING_MS,
  );

  it(
    'refuses a locked name before looking at the password, and a disabled account',
    async () => {
      const { sut, accounts, lock } = setUp();
      lock(30);
      const locked = await sut.signIn({ username: 'street-a', password: PASSWORD }, '10.0.0.1');
      expect(locked.ok || locked.problem.status).toBe(429);
      lock(0);
      accounts.get('street-a')!.disabled = true;
      const disabled = await sut.signIn({ username: 'street-a', password: PASSWORD }, '10.0.0.1');
      expect(disabled.ok || disabled.problem.status).toBe(403);
    },
    HASHING_MS,
  );

  it(
    'rotates the refresh token, and a token presented twice names the account whose sign-in it revoked',
    async () => {
      const { sut, tokens } = setUp();
      const outcome = await sut.signIn({ username: 'street-a', password: PASSWORD }, '10.0.0.1');
      if (!outcome.ok) throw new Error('expected a session');
      const first = outcome.session.refreshToken;
      const rotated = await sut.refresh(first);
      if (!rotated || !('session' in rotated)) throw new Error('expected a rotation');
      expect(rotated.session.refreshToken).not.toBe(first);
      expect(await sut.refresh(first)).toEqual({ reusedBy: 'street-a' });
      expect([...tokens.values()].every((t) => t.revokedAt)).toBe(true);
      expect(await sut.refresh(undefined)).toBeUndefined();
      expect(await sut.refresh('never-issued')).toBeUndefined();
    },
    HASHING_MS,
  );

  it(
    'ends the sign-ins of an account disabled since, and signs out one family',
    async () => {
      const { sut, accounts, tokens } = setUp();
      const outcome = await sut.signIn({ username: 'street-a', password: PASSWORD }, '10.0.0.1');
      if (!outcome.ok) throw new Error('expected a session');
      accounts.get('street-a')!.disabled = true;
      expect(await sut.refresh(outcome.session.refreshToken)).toBeUndefined();
      expect([...tokens.values()].every((t) => t.revokedAt)).toBe(true);
      expect(await sut.signOut(outcome.session.refreshToken)).toBe('street-a');
      expect(await sut.signOut(undefined)).toBeUndefined();
    },
    HASHING_MS,
  );

  it('tells who is signed in, with the account’s name for a person and none for a key', async () => {
    const { sut } = setUp();
    expect(await sut.me({ subject: 'account:street-a', role: 'street', scope: ['310101002'] })).toMatchObject({
      username: 'street-a',
      displayName: '街镇联络员',
    });
    expect(await sut.me({ subject: 'key_abc', role: 'admin', scope: [] })).toEqual({
      subject: 'key_abc',
      role: 'admin',
      scope: [],
    });
  });
});
