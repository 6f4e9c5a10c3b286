import { randomUUID } from 'node:crypto';
import { SignJWT, createLocalJWKSet, importJWK, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { ROLES, type Principal, type Role } from './principal';
import { TOKEN_ALGORITHM, type PrivateJwk, type PublicJwks } from './keys';
import type { RevocationList } from './revocation';

/** The services a token is good for; each verifier requires its own name in `aud`. */
export const TOKEN_AUDIENCE = ['intake', 'aggregation', 'torch-export'] as const;
export type TokenAudience = (typeof TOKEN_AUDIENCE)[number];
export const DEFAULT_ISSUER = 'huoju-intake';

export interface MintedToken {
  readonly token: string;
  readonly expiresAt: string;
  readonly jti: string;
}

/**
 * Signs bearer tokens (JWT, EdDSA) with the one private key only intake holds. Claims: sub, role, scope,
 * iss, aud (the services), iat, exp, jti; the header names the key (`kid`) so verifiers can rotate.
 */
export class TokenIssuer {
  private readonly key: ReturnType<typeof importJWK>;

  constructor(
    private readonly signingKey: PrivateJwk,
    private readonly issuer = DEFAULT_ISSUER,
  ) {
    this.key = importJWK(signingKey, TOKEN_ALGORITHM);
  }

  get kid(): string {
    return this.signingKey.kid;
  }

  async mint(
    principal: Principal,
    ttlSeconds: number,
    options: { now?: Date; audience?: readonly string[] } = {},
  ): Promise<MintedToken> {
    const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const exp = iat + ttlSeconds;
    const jti = randomUUID();
    const token = await new SignJWT({ role: principal.role, scope: [...principal.scope] })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: this.signingKey.kid, typ: 'JWT' })
      .setSubject(principal.subject)
      .setIssuer(this.issuer)
      .setAudience([...(options.audience ?? TOKEN_AUDIENCE)])
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(jti)
      .sign(await this.key);
    return { token, expiresAt: new Date(exp * 1000).toISOString(), jti };
  }
}

/**
 * Verifies bearer tokens against the configured public keys (several during a key rotation, chosen by
 * `kid`), checking the algorithm, `iss`, this service in `aud`, `exp`, and the revocation list.
 */
export class TokenVerifier {
  private readonly keys: ReturnType<typeof createLocalJWKSet>;
  /**
   * Tokens whose signature and claims already verified, until they expire: a client sends the same token
   * with every request, and an EdDSA verification costs more CPU than the rest of a small request. Expiry
   * and revocation are still checked on every use.
   */
  private readonly verifiedTokens = new LRUCache<string, VerifiedToken>({ max: 10_000 });

  constructor(
    jwks: PublicJwks,
    private readonly audience: TokenAudience,
    private readonly revocations?: RevocationList,
    private readonly issuer = DEFAULT_ISSUER,
  ) {
    this.keys = createLocalJWKSet({ keys: jwks.keys.map((key) => ({ ...key, alg: TOKEN_ALGORITHM, use: 'sig' })) });
  }

  /** The principal of a valid, unexpired, unrevoked token; undefined otherwise. */
  async verify(token: string, now = new Date()): Promise<Principal | undefined> {
    return (await this.verified(token, now))?.principal;
  }

  /** The `jti` of a valid token (to revoke it at sign-out). */
  async verifiedTokenId(token: string, now = new Date()): Promise<string | undefined> {
    return (await this.verified(token, now))?.jti;
  }

  private async verified(token: string, now: Date): Promise<{ principal: Principal; jti: string } | undefined> {
    const known = this.verifiedTokens.get(token);
    if (known) {
      // The same tolerance as the full verification (clockTolerance: 5).
      if (known.expiresAt + 5 <= now.getTime() / 1000) return undefined;
      if (this.revocations?.isRevoked({ subject: known.principal.subject, jti: known.jti, issuedAt: known.issuedAt }))
        return undefined;
      return { principal: known.principal, jti: known.jti };
    }
    let payload: JWTPayload;
    try {
      const result = await jwtVerify(token, this.keys, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: this.issuer,
        audience: this.audience,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
        currentDate: now,
        clockTolerance: 5,
      });
      if (!result.protectedHeader.kid) return undefined;
      payload = result.payload;
    } catch {
      return undefined;
    }
    const { sub, role, scope, jti, iat, exp } = payload as JWTPayload & { role?: unknown; scope?: unknown };
    if (typeof sub !== 'string' || typeof jti !== 'string' || typeof iat !== 'number' || typeof exp !== 'number')
      return undefined;
    if (!ROLES.includes(role as Role)) return undefined;
    if (!Array.isArray(scope) || !scope.every((entry) => typeof entry === 'string')) return undefined;
    const principal: Principal = { subject: sub, role: role as Role, scope: scope as string[] };
    // Only tokens already valid now are remembered (a not-yet-valid one is verified again next time).
    if (iat <= now.getTime() / 1000 + 5)
      this.verifiedTokens.set(token, { principal, jti, issuedAt: iat, expiresAt: exp });
    if (this.revocations?.isRevoked({ subject: sub, jti, issuedAt: iat })) return undefined;
    return { principal, jti };
  }
}

interface VerifiedToken {
  readonly principal: Principal;
  readonly jti: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}
