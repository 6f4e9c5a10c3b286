import { principals } from '@huoju/testing';
import { startTestIntake, type RunningIntake } from './intake.harness';

const PASSWORD = 'Lantern-river-2026';

function refreshCookie(headers: Headers): string | undefined {
  const cookie = headers.get('set-cookie') ?? '';
  return /huoju_refresh=([^;]*)/.exec(cookie)?.[1];
}

describe('people sign in, refresh, sign out', () => {
  let intake: RunningIntake;

  beforeAll(async () => {
    intake = await startTestIntake({ AUTH_REFRESH_REUSE_GRACE_SECONDS: '0' });
    for (const account of [
      { username: 'alice', role: 'commission', scope: [] },
      { username: 'bob', role: 'park', scope: ['PT'] },
      { username: 'locked-out', role: 'commission', scope: [] },
    ])
      expect(
        (
          await intake.http.post('/v1/accounts', {
            as: principals.admin,
            body: { ...account, displayName: account.username, password: PASSWORD },
          })
        ).status,
      ).toBe(201);
  }, 120_000);

  afterAll(() => intake?.stop());

  const signIn = (username: string, password = PASSWORD, headers: Record<string, string> = {}) =>
    intake.http.post<{ accessToken: string; account: { role: string }; code?: string }>('/v1/auth/sign-in', {
      body: { username, password },
      headers,
    });

  const refresh = (cookie: string | undefined) =>
    intake.http.post<{ accessToken: string; code?: string }>('/v1/auth/refresh', {
      headers: cookie ? { cookie: `huoju_refresh=${cookie}` } : {},
    });

  it('signs in: an access token that works, and the refresh token in an HttpOnly, Secure, SameSite=Strict cookie', async () => {
    const response = await signIn('alice');
    expect(response.status).toBe(200);
    expect(response.body.account).toMatchObject({ username: 'alice', role: 'commission', scope: [] });
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(
      /^huoju_refresh=[\w-]{40,}; HttpOnly; Secure; SameSite=Strict; Path=\/v1\/auth; Max-Age=\d+$/,
    );
    const me = await intake.http.get('/v1/auth/me', {
      headers: { authorization: `Bearer ${response.body.accessToken}` },
    });
    expect(me).toMatchObject({
      status: 200,
      body: { subject: 'account:alice', role: 'commission', username: 'alice', displayName: 'alice' },
    });
  });

  it('answers an unknown name and a wrong password alike', async () => {
    const unknown = await signIn('nobody-here');
    const wrong = await signIn('alice', 'Wrong-password-2026');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.code).toBe('AUTH.INVALID_CREDENTIALS');
    expect(wrong.body.code).toBe('AUTH.INVALID_CREDENTIALS');
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
  });

  it('rotates the refresh token; a reused one revokes the whole family', async () => {
    const first = refreshCookie((await signIn('bob')).headers)!;
    const second = await refresh(first);
    expect(second.status).toBe(200);
    const next = refreshCookie(second.headers)!;
    expect(next).not.toBe(first);
    expect((await refresh(first)).status).toBe(401); // reuse: a stolen copy
    const afterReuse = await refresh(next);
    expect(afterReuse.status).toBe(401); // the family is gone, the legitimate holder must sign in again
    expect(afterReuse.body.code).toBe('AUTH.REFRESH_INVALID');
  });

  it('signs out: the refresh token is revoked and the cookie cleared', async () => {
    const cookie = refreshCookie((await signIn('alice')).headers)!;
    const out = await intake.http.post('/v1/auth/sign-out', { headers: { cookie: `huoju_refresh=${cookie}` } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await refresh(cookie)).status).toBe(401);
    expect((await refresh(undefined)).status).toBe(401);
  });

  it('backs off and locks a name after repeated failures, even for the right password, with Retry-After', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++)
      statuses.push((await signIn('locked-out', 'Wrong-password-1')).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const right = await signIn('locked-out');
    expect(right.status).toBe(429);
    expect(right.body.code).toBe('AUTH.LOCKED');
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses a disabled account at sign-in and ends its refresh tokens', async () => {
    const cookie = refreshCookie((await signIn('bob')).headers)!;
    const patched = await intake.http.patch('/v1/accounts/bob', { as: principals.admin, body: { disabled: true } });
    expect(patched).toMatchObject({ status: 200, body: { username: 'bob', disabled: true } });
    const refused = await signIn('bob');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('AUTH.ACCOUNT_DISABLED');
    expect((await refresh(cookie)).status).toBe(401);
    await intake.http.patch('/v1/accounts/bob', { as: principals.admin, body: { disabled: false } });
    expect((await signIn('bob')).status).toBe(200);
  });

  it('applies the password policy and validates scopes against the reference data, every error at once', async () => {
    const response = await intake.http.post<{ errors: { pointer: string; code: string }[] }>('/v1/accounts', {
      as: principals.admin,
      body: { username: 'weak', displayName: 'Weak', password: 'short', role: 'street', scope: ['x', '310107013'] },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((error) => error.pointer).sort()).toEqual(['/password']);
    const scopes = await intake.http.post<{ errors: { pointer: string; code: string }[] }>('/v1/accounts', {
      as: principals.admin,
      body: { username: 'scoped', displayName: 'S', password: PASSWORD, role: 'street', scope: ['x', 'NOPE'] },
    });
    expect(scopes.status).toBe(422);
    expect(scopes.body.errors.map((error) => `${error.pointer} ${error.code}`)).toEqual([
      '/scope/0 SCOPE.STREET',
      '/scope/1 SCOPE.STREET',
    ]);
  });

  it('lets a park team manage the street accounts of its own park only', async () => {
    const park = principals.park('PT');
    const listed = await intake.http.get<{ items: unknown[] }>('/v1/accounts', { as: park });
    expect(listed.status).toBe(200);
    const admin = await intake.http.post('/v1/accounts', {
      as: park,
      body: { username: 'sneaky-admin', displayName: 'x', password: PASSWORD, role: 'admin', scope: [] },
    });
    expect(admin.status).toBe(403);
    expect((await intake.http.patch('/v1/accounts/alice', { as: park, body: { disabled: true } })).status).toBe(403);
    expect((await intake.http.get('/v1/accounts', { as: principals.commission })).status).toBe(403);
  });

  it('lists accounts with paging and search', async () => {
    const page = await intake.http.get<{ items: { username: string }[]; total: number }>(
      '/v1/accounts?q=ali&page=1&pageSize=10',
      { as: principals.admin },
    );
    expect(page.status).toBe(200);
    expect(page.body.items.map((item) => item.username)).toEqual(['alice']);
    expect(page.body.total).toBe(1);
    expect((await intake.http.get('/v1/accounts?page=0', { as: principals.admin })).status).toBe(422);
  });

  it('writes sign-ins (both outcomes) and account changes to the audit log, with the client address, for admins only', async () => {
    const log = await intake.http.get<{
      items: { actor: string; action: string; target: string; ip: string; role: string }[];
      total: number;
    }>('/v1/audit?pageSize=200', { as: principals.admin });
    expect(log.status).toBe(200);
    const actions = log.body.items.map((item) => `${item.action} ${item.actor}`);
    expect(actions).toContain('auth.sign-in account:alice');
    expect(actions).toContain('auth.sign-in-failed account:nobody-here');
    expect(actions).toContain('account.create test-admin');
    expect(actions).toContain('account.update test-admin');
    expect(log.body.items.every((item) => item.ip === '127.0.0.1')).toBe(true);
    const failed = await intake.http.get<{ items: unknown[] }>('/v1/audit?action=auth.sign-in-failed', {
      as: principals.admin,
    });
    expect(failed.body.items.length).toBeGreaterThanOrEqual(8);
    expect((await intake.http.get('/v1/audit', { as: principals.commission })).status).toBe(403);
    expect((await intake.http.get('/v1/audit?action=nope', { as: principals.admin })).status).toBe(422);
  });
});
