import {
  Platform,
  TEST_JWKS,
  TEST_SIGNING_KEY,
  eventually,
  principals,
  testTokens,
  type ServiceName,
} from '@huoju/testing';
import { TokenIssuer, generateSigningKey, publicJwkOf } from '@huoju/platform';

const HTTP_SERVICES: readonly ServiceName[] = ['intake', 'aggregation', 'torch-export'];
/** An endpoint on each service that a commission token may call and that answers 200. */
const PROBE: Record<string, string> = {
  intake: '/v1/auth/me',
  aggregation: '/v1/targets',
  'torch-export': '/v1/exports',
};

// The next key of a rotation: published to every service before intake signs with it.
const nextKey = generateSigningKey('test');

describe('tokens across intake, aggregation and torch-export', () => {
  const platform = new Platform({
    AUTH_JWKS: JSON.stringify({ keys: [...TEST_JWKS.keys, publicJwkOf(nextKey)] }),
    AUTH_SIGNING_KEY: JSON.stringify(TEST_SIGNING_KEY),
  });

  beforeAll(() => platform.start(HTTP_SERVICES), 120_000);
  afterAll(() => platform.stop());

  async function statuses(token: string): Promise<number[]> {
    return Promise.all(
      HTTP_SERVICES.map(
        async (service) =>
          (
            await fetch(`${platform.url(service)}${PROBE[service]}`, {
              headers: { authorization: `Bearer ${token}` },
            })
          ).status,
      ),
    );
  }

  async function apiKey(role: string, scope: string[] = []): Promise<{ id: string; apiKey: string }> {
    const created = await platform.http('intake').post<{
      id: string;
      apiKey: string;
    }>('/v1/api-keys', { as: principals.admin, body: { role, scope, label: role } });
    expect(created.status).toBe(201);
    return created.body;
  }

  async function exchange(key: string) {
    return fetch(`${platform.url('intake')}/v1/auth/token`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${key}` },
    });
  }

  it('refuses a revoked API key’s token on every service within 5 s', async () => {
    const key = await apiKey('commission');
    const { accessToken } = (await (await exchange(key.apiKey)).json()) as { accessToken: string };
    expect(await statuses(accessToken)).toEqual([200, 200, 200]);
    const revokedAt = Date.now();
    expect((await platform.http('intake').post(`/v1/api-keys/${key.id}/revoke`, { as: principals.admin })).status).toBe(
      204,
    );
    await eventually(async () => (await statuses(accessToken)).every((status) => status === 401), 5_000, 100);
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
    expect((await exchange(key.apiKey)).status).toBe(401);
  });

  it('refuses a disabled account’s token on every service within 5 s', async () => {
    const intake = platform.http('intake');
    const created = await intake.post('/v1/accounts', {
      as: principals.admin,
      body: { username: 'revoke-me', displayName: 'R', password: 'Lantern-river-2026', role: 'commission', scope: [] },
    });
    expect(created.status).toBe(201);
    const signedIn = await intake.post<{ accessToken: string }>('/v1/auth/sign-in', {
      body: { username: 'revoke-me', password: 'Lantern-river-2026' },
    });
    expect(await statuses(signedIn.body.accessToken)).toEqual([200, 200, 200]);
    const disabledAt = Date.now();
    expect(
      (await intake.patch('/v1/accounts/revoke-me', { as: principals.admin, body: { disabled: true } })).status,
    ).toBe(200);
    await eventually(
      async () => (await statuses(signedIn.body.accessToken)).every((status) => status === 401),
      5_000,
      100,
    );
    expect(Date.now() - disabledAt).toBeLessThan(5_000);
  });

  it('accepts, during a key rotation, tokens of the current and of the next key; none of a stranger’s key', async () => {
    const commission = principals.commission;
    expect(await statuses((await testTokens.mint(commission, 300)).token)).toEqual([200, 200, 200]);
    expect(await statuses((await new TokenIssuer(nextKey).mint(commission, 300)).token)).toEqual([200, 200, 200]);
    const stranger = new TokenIssuer(generateSigningKey('test'));
    expect(await statuses((await stranger.mint(commission, 300)).token)).toEqual([401, 401, 401]);
  });

  it('publishes the public keys, and only public keys, at /.well-known/jwks.json', async () => {
    const jwks = await platform.http('intake').get<{ keys: Record<string, string>[] }>('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.map((key) => key.kid).sort()).toEqual([TEST_SIGNING_KEY.kid, nextKey.kid].sort());
    expect(jwks.body.keys.every((key) => key.d === undefined)).toBe(true);
  });

  it('meets 50 wrong API keys in 3 s with back-off: the later ones are refused with 429 and Retry-After', async () => {
    const answers: Response[] = [];
    for (let attempt = 0; attempt < 50; attempt++)
      answers.push(await exchange(`key_guess${attempt}.wrong-secret-wrong-secret-${attempt}`));
    const statuses = answers.map((answer) => answer.status);
    // An address has 20 free failures in 15 minutes (one was spent above on the revoked key).
    expect(statuses[0]).toBe(401);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(20);
    expect(statuses.slice(20).every((status) => status === 429)).toBe(true);
    expect(Number(answers[49]!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
