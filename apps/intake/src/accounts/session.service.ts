import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { signInRequestSchema, type SessionResponse } from '@huoju/contracts';
import { ProblemException, TokenService, type Principal } from '@huoju/platform';
import { INTAKE_CONFIG, type IntakeConfig } from '../intake.config';
import { AttemptLimiter, type AttemptSubject } from '../auth/attempt-limiter';
import { parseRequest } from '../auth/parse-request';
import type { Account } from './account.entity';
import { AccountRepository } from './account.repository';
import { subjectOf } from './accounts.service';
import { dummyPasswordHash, verifyPassword } from './password';
import { RefreshTokenRepository } from './refresh-token.repository';

export interface Session {
  readonly body: SessionResponse;
  /** The opaque refresh token for the HttpOnly cookie. */
  readonly refreshToken: string;
  readonly refreshMaxAgeSeconds: number;
}

export type SignInOutcome =
  | { ok: true; session: Session; principal: Principal }
  | { ok: false; problem: ProblemException; username: string };

/**
 * Sign-in with username and password → a short-lived access token plus a rotating refresh token. The
 * same answer for an unknown name and a wrong password; back-off and lockout per name and per address.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly attempts: AttemptLimiter,
    private readonly tokens: TokenService,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  async signIn(body: unknown, address: string): Promise<SignInOutcome> {
    const { username, password } = parseRequest(signInRequestSchema, body);
    const subjects: AttemptSubject[] = [
      { kind: 'name', value: username.toLowerCase() },
      { kind: 'address', value: address },
    ];
    const wait = await this.attempts.retryAfter(subjects);
    if (wait > 0) return { ok: false, problem: locked(wait), username };
    const account = await this.accounts.find(username);
    const matches = await verifyPassword(account?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!account || !matches) {
      await this.attempts.recordFailure(subjects);
      return { ok: false, problem: invalidCredentials(), username };
    }
    if (account.disabled) return { ok: false, problem: accountDisabled(), username };
    await this.attempts.recordSuccess(username.toLowerCase());
    const now = new Date();
    await this.accounts.recordSignIn(account.username, now);
    const refreshToken = newRefreshToken();
    await this.refreshTokens.insert({
      tokenSha256: sha256(refreshToken),
      familyId: randomUUID(),
      username: account.username,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + this.config.AUTH_REFRESH_TTL_SECONDS * 1000),
    });
    return { ok: true, session: this.session(account, refreshToken), principal: principalOf(account) };
  }

  /** A new access token and the next refresh token of the family; a reused token revokes the family. */
  async refresh(presented: string | undefined): Promise<{ session: Session } | { reusedBy: string } | undefined> {
    if (!presented) return undefined;
    const now = new Date();
    const next = newRefreshToken();
    const rotation = await this.refreshTokens.rotate(
      sha256(presented),
      {
        tokenSha256: sha256(next),
        issuedAt: now,
        expiresAt: new Date(now.getTime() + this.config.AUTH_REFRESH_TTL_SECONDS * 1000),
      },
      this.config.AUTH_REFRESH_REUSE_GRACE_SECONDS * 1000,
    );
    if (rotation.outcome === 'invalid') return undefined;
    if (rotation.outcome === 'reused') return { reusedBy: rotation.username };
    const account = await this.accounts.find(rotation.username);
    if (!account || account.disabled) {
      await this.refreshTokens.revokeAllOf(rotation.username, now);
      return undefined;
    }
    return { session: this.session(account, next) };
  }

  /** Ends the sign-in of the presented refresh token; the username it belonged to, if any. */
  signOut(presented: string | undefined): Promise<string | undefined> {
    return presented ? this.refreshTokens.revokeFamilyOf(sha256(presented), new Date()) : Promise.resolve(undefined);
  }

  async me(principal: Principal) {
    const username = principal.subject.startsWith('account:') ? principal.subject.slice('account:'.length) : undefined;
    const account = username ? await this.accounts.find(username) : null;
    return {
      subject: principal.subject,
      role: principal.role,
      scope: [...principal.scope],
      ...(account ? { username: account.username, displayName: account.displayName } : {}),
    };
  }

  private session(account: Account, refreshToken: string): Session {
    const { token, expiresAt } = this.tokens.mint(principalOf(account), this.config.AUTH_TOKEN_TTL_SECONDS);
    return {
      body: {
        accessToken: token,
        expiresAt,
        account: {
          username: account.username,
          displayName: account.displayName,
          role: account.role,
          scope: [...account.scope],
        },
      },
      refreshToken,
      refreshMaxAgeSeconds: this.config.AUTH_REFRESH_TTL_SECONDS,
    };
  }
}

export function principalOf(account: Account): Principal {
  return { subject: subjectOf(account.username), role: account.role, scope: [...account.scope] };
}

function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function invalidCredentials(): ProblemException {
  return new ProblemException(
    401,
    'AUTH.INVALID_CREDENTIALS',
    'Invalid credentials',
    'The username or password is wrong.',
    [],
    '用户名或密码错误',
  );
}

export function locked(retryAfterSeconds: number): ProblemException {
  return new ProblemException(
    429,
    'AUTH.LOCKED',
    'Too many failed attempts',
    `Too many failed attempts; try again in ${retryAfterSeconds} s.`,
    [],
    `失败次数过多，请${retryAfterSeconds}秒后再试`,
    { retryAfter: retryAfterSeconds },
  );
}

function accountDisabled(): ProblemException {
  return new ProblemException(
    403,
    'AUTH.ACCOUNT_DISABLED',
    'Account disabled',
    'This account has been disabled; ask an administrator.',
    [],
    '该账号已停用，请联系管理员',
  );
}

export function refreshInvalid(): ProblemException {
  return new ProblemException(
    401,
    'AUTH.REFRESH_INVALID',
    'Sign in again',
    'The sign-in has ended or the refresh token is not valid; sign in again.',
    [],
    '登录已失效，请重新登录',
  );
}
