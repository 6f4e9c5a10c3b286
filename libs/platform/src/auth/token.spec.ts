import { TokenService } from './token';

describe(TokenService.name, () => {
  const sut = new TokenService('x'.repeat(32));
  const principal = { subject: 'key-1', role: 'park' as const, scope: ['PT'] };

  it('verifies what it minted until it expires', () => {
    const now = new Date('2026-04-01T00:00:00Z');
    const { token, expiresAt } = sut.mint(principal, 900, now);
    expect(expiresAt).toBe('2026-04-01T00:15:00.000Z');
    expect(sut.verify(token, now)).toEqual(principal);
    expect(sut.verify(token, new Date('2026-04-01T00:15:00Z'))).toBeUndefined();
  });

  it('refuses a token signed with another secret or altered', () => {
    const { token } = sut.mint(principal, 900);
    expect(new TokenService('y'.repeat(32)).verify(token)).toBeUndefined();
    const [body, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ sub: 'key-1', role: 'commission', scope: [], exp: 9999999999 }),
    ).toString('base64url');
    expect(sut.verify(`${forged}.${signature}`)).toBeUndefined();
    expect(sut.verify(`${body}.${signature}.x`)).toBeUndefined();
    expect(sut.verify('garbage')).toBeUndefined();
  });
});
