import { DEMO_PASSWORD, hashPassword, passwordProblems, verifyPassword } from './password';

describe('password policy', () => {
  const codes = (password: string, production = false) =>
    passwordProblems(password, 'street-310107013', { production }).map((error) => error.code);

  it('accepts a long password of three character classes', () => {
    expect(codes('Lantern-river-2026')).toEqual([]);
  });

  it('refuses short, single-class, common and username-containing passwords, each with its code', () => {
    expect(codes('Ab1-')).toContain('PASSWORD.LENGTH');
    expect(codes('onlylowercaseletters')).toEqual(['PASSWORD.CLASSES']);
    expect(codes('MyPassword-2026!')).toEqual(['PASSWORD.COMMON']);
    expect(codes('X-street-310107013-y')).toEqual(['PASSWORD.CONTAINS_USERNAME']);
  });

  it('refuses the demo password only in production', () => {
    expect(codes(DEMO_PASSWORD)).toEqual([]);
    expect(codes(DEMO_PASSWORD, true)).toEqual(['PASSWORD.DEMO']);
  });

  it('hashes with argon2id and verifies only the same password', async () => {
    const hash = await hashPassword('Lantern-river-2026');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    await expect(verifyPassword(hash, 'Lantern-river-2026')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'Lantern-river-2027')).resolves.toBe(false);
    await expect(verifyPassword('not a hash', 'x')).resolves.toBe(false);
  });
});
