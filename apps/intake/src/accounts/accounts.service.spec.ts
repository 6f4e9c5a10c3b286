import { streetsOfPark } from '@huoju/platform';
import { principals, problemOf } from '@huoju/testing';
import type { IntakeConfig } from '../intake.config';
import { Account } from './account.entity';
import type { AccountFilter, AccountRepository } from './account.repository';
import { AccountsService, subjectOf } from './accounts.service';
import type { RefreshTokenRepository } from './refresh-token.repository';

const PASSWORD = 'Lantern-harbour-2026!';
/** argon2id hashing is deliberately slow, and slower on a shared machine. */
const HASHING_MS = 60_000;
const [STREET, SECOND_STREET] = streetsOfPark('PT');
const FOREIGN_STREET = streetsOfPark('CN').find((street) => !streetsOfPark('PT').includes(street))!;

/** The account table in memory behind the repository methods, and the refresh tokens revoked. */
function setUp() {
  const accounts = new Map<string, Account>();
  const revoked: string[] = [];
  const repository = {
    find: async (username: string) => accounts.get(username) ?? null,
    page: async (filter: AccountFilter, page: number, pageSize: number) => {
      const items = [...accounts.values()].filter(
        (a) =>
          (!filter.role || a.role === filter.role) &&
          (!filter.streetsWithin || (a.role === 'street' && a.scope.every((s) => filter.streetsWithin!.includes(s)))),
      );
      return { items: items.slice((page - 1) * pageSize, page * pageSize), total: items.length };
    },
    insert: async (account: Account) => {
      if (accounts.has(account.username)) return false;
      accounts.set(account.username, Object.assign(account, { createdAt: new Date(), passwordChangedAt: new Date() }));
      return true;
    },
    update: async (username: string, change: (account: Account) => void | Promise<void>) => {
      const stored = accounts.get(username);
      if (!stored) return null;
      // Like a unit of work that fails: a change that throws leaves the stored account as it was.
      const draft = Object.assign(new Account(), stored, { scope: [...stored.scope] });
      await change(draft);
      accounts.set(username, draft);
      return draft;
    },
  } as unknown as AccountRepository;
  const refreshTokens = {
    revokeAllOf: async (username: string) => void revoked.push(username),
  } as unknown as RefreshTokenRepository;
  const sut = new AccountsService(repository, refreshTokens, { NODE_ENV: 'test' } as IntakeConfig);
  return { sut, accounts, revoked };
}

const streetAccount = (username: string, scope = [STREET!]) => ({
  username,
  displayName: ' 街镇联络员 ',
  password: PASSWORD,
  role: 'street',
  scope,
});

describe(AccountsService.name, () => {
  it(
    'creates an account with a hashed password, and refuses a taken username',
    async () => {
      const { sut, accounts } = setUp();
      const { account } = await sut.create(streetAccount('street-a'), principals.admin);
      expect(account).toMatchObject({
        username: 'street-a',
        displayName: '街镇联络员',
        role: 'street',
        disabled: false,
      });
      expect(accounts.get('street-a')!.passwordHash).not.toContain(PASSWORD);
      expect(await problemOf(sut.create(streetAccount('street-a'), principals.admin))).toMatchObject({
        status: 409,
        code: 'ACCOUNT.EXISTS',
      });
    },
    HASHING_MS,
  );

  it(
    'lets a park team manage only the street accounts of its own park',
    async () => {
      const { sut, accounts } = setUp();
      const park = principals.park('PT');
      await sut.create(streetAccount('street-own'), park);
      expect((await problemOf(sut.create(streetAccount('street-far', [FOREIGN_STREET]), park))).status).toBe(403);
      expect(
        (await problemOf(sut.create({ ...streetAccount('admin-b'), role: 'admin', scope: [] }, park))).status,
      ).toBe(403);
      expect((await problemOf(sut.list({ role: 'admin' }, park))).status).toBe(403);
      expect((await problemOf(sut.list({}, principals.street(STREET!)))).status).toBe(403);
      expect([...accounts.keys()]).toEqual(['street-own']);
      expect((await sut.list({}, park)).items.map((a) => a.username)).toEqual(['street-own']);
    },
    HASHING_MS,
  );

  it(
    'ends the sessions when the scope, the password or the account is disabled, not for a new name',
    async () => {
      const { sut, revoked } = setUp();
      await sut.create(streetAccount('street-c'), principals.admin);
      const renamed = await sut.update('street-c', { displayName: '新联络员' }, principals.admin);
      expect(renamed).toMatchObject({ revokeSessions: false, account: { displayName: '新联络员' } });
      const moved = await sut.update('street-c', { scope: [SECOND_STREET] }, principals.admin);
      expect(moved.revokeSessions).toBe(true);
      await sut.update('street-c', { disabled: true }, principals.admin);
      expect(revoked).toEqual(['street-c', 'street-c']);
      expect((await problemOf(sut.update('nobody', { disabled: true }, principals.admin))).status).toBe(404);
    },
    HASHING_MS,
  );

  it(
    'refuses to disable one’s own account or drop one’s own admin role, changing nothing',
    async () => {
      const { sut, accounts } = setUp();
      await sut.create({ ...streetAccount('root'), role: 'admin', scope: [] }, principals.admin);
      const self = { subject: subjectOf('root'), role: 'admin', scope: [] } as const;
      expect((await problemOf(sut.update('root', { disabled: true }, self))).status).toBe(403);
      expect((await problemOf(sut.update('root', { role: 'commission' }, self))).status).toBe(403);
      expect(accounts.get('root')).toMatchObject({ role: 'admin', disabled: false });
    },
    HASHING_MS,
  );

  it(
    'answers every problem of a request at once',
    async () => {
      const { sut } = setUp();
      const problem = await problemOf(
        sut.create({ ...streetAccount('street-d'), password: 'Xx-street-d-2026', scope: [] }, principals.admin),
      );
      expect(problem.status).toBe(422);
      expect(new Set(problem.errors.map((e) => e.pointer))).toEqual(new Set(['/scope', '/password']));
    },
    HASHING_MS,
  );
});
