import { SignJWT, importJWK } from 'jose';
import type Redis from 'ioredis';
import { generateSigningKey, publicJwkOf } from './keys';
import { RevocationList } from './revocation';
import { TokenIssuer, TokenVerifier } from './token';

describe(TokenVerifier.name, () => {
  const current = generateSigningKey('test');
  const next = generateSigningKey('test');
  const principal = { subject: 'key-1', role: 'park' as const, scope: ['PT'] };
  const issuer = new TokenIssuer(current);
  const sut = new TokenVerifier({ keys: [publicJwkOf(current)] }, 'aggregation');

  it('verifies what intake minted, with kid, iss, aud, exp and jti', async () => {
    const now = new Date('2026-04-01T00:00:00Z');
    const { token, expiresAt } = await issuer.mint(principal, 900, { now });
    expect(expiresAt).toBe('2026-04-01T00:15:00.000Z');
    const [header] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toMatchObject({ alg: 'EdDSA', kid: current.kid });
    await expect(sut.verify(token, now)).resolves.toEqual(principal);
    await expect(sut.verify(token, new Date('2026-04-01T00:15:06Z'))).resolves.toBeUndefined();
  });

  it('refuses a tampered, truncated or unsigned token', async () => {
    const { token } = await issuer.mint(principal, 900);
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ sub: 'key-1', role: 'commission', scope: [], iss: 'huoju-intake', aud: ['aggregation'] }),
    ).toString('base64url');
    await expect(sut.verify(`${header}.${forged}.${signature}`)).resolves.toBeUndefined();
    await expect(sut.verify(token.slice(0, -2))).resolves.toBeUndefined();
    const none = `${Buffer.from('{"alg":"none","kid":"x"}').toString('base64url')}.${forged}.`;
    await expect(sut.verify(none)).resolves.toBeUndefined();
    await expect(sut.verify('garbage')).resolves.toBeUndefined();
  });

  it('refuses a token for another audience, from another issuer, or signed by a key it does not know', async () => {
    const wrongAudience = await issuer.mint(principal, 900, { audience: ['intake'] });
    await expect(sut.verify(wrongAudience.token)).resolves.toBeUndefined();
    const otherIssuer = await new TokenIssuer(current, 'someone-else').mint(principal, 900);
    await expect(sut.verify(otherIssuer.token)).resolves.toBeUndefined();
    const stranger = await new TokenIssuer(generateSigningKey('test')).mint(principal, 900);
    await expect(sut.verify(stranger.token)).resolves.toBeUndefined();
  });

  it('refuses a token without kid even when its signature is right', async () => {
    const key = await importJWK(current, 'EdDSA');
    const token = await new SignJWT({ role: 'park', scope: ['PT'] })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('key-1')
      .setIssuer('huoju-intake')
      .setAudience(['aggregation'])
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti('j')
      .sign(key);
    await expect(sut.verify(token)).resolves.toBeUndefined();
  });

  it('rotates keys: during the overlap both keys verify, afterwards only the new one', async () => {
    const oldToken = (await issuer.mint(principal, 900)).token;
    const newToken = (await new TokenIssuer(next).mint(principal, 900)).token;
    const during = new TokenVerifier({ keys: [publicJwkOf(current), publicJwkOf(next)] }, 'aggregation');
    await expect(during.verify(oldToken)).resolves.toEqual(principal);
    await expect(during.verify(newToken)).resolves.toEqual(principal);
    const after = new TokenVerifier({ keys: [publicJwkOf(next)] }, 'aggregation');
    await expect(after.verify(oldToken)).resolves.toBeUndefined();
    await expect(after.verify(newToken)).resolves.toEqual(principal);
  });
});

describe(RevocationList.name, () => {
  const key = generateSigningKey('test');
  const issuer = new TokenIssuer(key);
  const noRedis = {
    multi: () => ({ zadd: () => ({ zremrangebyscore: () => ({ exec: () => Promise.resolve([]) }) }) }),
  } as unknown as Redis;

  it('ends the tokens of a revoked subject issued up to the revocation, and a revoked token by its jti', async () => {
    const revocations = new RevocationList(noRedis, 'k');
    const sut = new TokenVerifier({ keys: [publicJwkOf(key)] }, 'intake', revocations);
    const before = await issuer.mint({ subject: 'account:bob', role: 'street', scope: ['310107013'] }, 900, {
      now: new Date(Date.now() - 10_000),
    });
    const other = await issuer.mint({ subject: 'account:amy', role: 'commission', scope: [] }, 900);
    await revocations.revoke({ subject: 'account:bob' });
    await expect(sut.verify(before.token)).resolves.toBeUndefined();
    const later = await issuer.mint({ subject: 'account:bob', role: 'street', scope: ['310107013'] }, 900, {
      now: new Date(Date.now() + 2000),
    });
    await expect(sut.verify(later.token)).resolves.toBeDefined();
    await expect(sut.verify(other.token)).resolves.toBeDefined();
    await revocations.revoke({ jti: other.jti });
    await expect(sut.verify(other.token)).resolves.toBeUndefined();
  });
});
