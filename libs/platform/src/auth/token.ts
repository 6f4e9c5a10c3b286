import { createHmac, timingSafeEqual } from 'node:crypto';
import { ROLES, type Principal, type Role } from './principal';

/**
 * Short-lived bearer tokens: base64url(JSON claims) + "." + base64url(HMAC-SHA256). Every service verifies
 * them with the shared secret, so no service has to call intake to know who is asking.
 */
export class TokenService {
  constructor(private readonly secret: string) {
    if (secret.length < 32) throw new Error('the token secret must be at least 32 characters');
  }

  mint(principal: Principal, ttlSeconds: number, now = new Date()): { token: string; expiresAt: string } {
    const exp = Math.floor(now.getTime() / 1000) + ttlSeconds;
    const claims = { sub: principal.subject, role: principal.role, scope: principal.scope, exp };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `${body}.${this.sign(body)}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The principal of a valid, unexpired token; undefined otherwise. */
  verify(token: string, now = new Date()): Principal | undefined {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let claims: { sub?: unknown; role?: unknown; scope?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) return undefined;
    if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role as Role)) return undefined;
    if (!Array.isArray(claims.scope) || !claims.scope.every((entry) => typeof entry === 'string')) return undefined;
    return { subject: claims.sub, role: claims.role as Role, scope: claims.scope as string[] };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
