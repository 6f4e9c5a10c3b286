import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REFRESH_COOKIE, REFRESH_COOKIE_PATH } from '@huoju/contracts';
import { CurrentPrincipal, Public, RevocationList, TokenVerifier, type Principal } from '@huoju/platform';
import { AuditService } from '../audit/audit.service';
import { SessionService, refreshInvalid, type Session } from './session.service';

/** People sign in to the console here; the refresh token lives only in an HttpOnly cookie. */
@ApiTags('auth')
@Controller('v1/auth')
export class SessionController {
  constructor(
    private readonly sessions: SessionService,
    private readonly verifier: TokenVerifier,
    private readonly revocations: RevocationList,
    private readonly audit: AuditService,
  ) {}

  @Public()
  @Post('sign-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with username and password: an access token, and the refresh cookie' })
  async signIn(@Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.sessions.signIn(body, request.ip);
    await this.audit.record({
      actor: outcome.ok ? outcome.principal.subject : `account:${outcome.username.slice(0, 64)}`,
      role: outcome.ok ? outcome.principal.role : 'anonymous',
      action: outcome.ok ? 'auth.sign-in' : 'auth.sign-in-failed',
      target: outcome.ok ? outcome.principal.subject : 'sign-in',
      ip: request.ip,
      details: outcome.ok ? {} : { code: outcome.problem.code },
    });
    if (!outcome.ok) throw outcome.problem;
    return setSession(reply, outcome.session);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new access token for the refresh cookie; the cookie is rotated' })
  async refresh(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.sessions.refresh(readCookie(request, REFRESH_COOKIE));
    if (result && 'reusedBy' in result)
      await this.audit.record({
        actor: `account:${result.reusedBy}`,
        role: 'anonymous',
        action: 'auth.refresh-reused',
        target: 'refresh-token family revoked',
        ip: request.ip,
      });
    if (!result || !('session' in result)) {
      clearCookie(reply);
      throw refreshInvalid();
    }
    return setSession(reply, result.session);
  }

  @Public()
  @Post('sign-out')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: the refresh family is revoked and the cookie cleared' })
  async signOut(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const username = await this.sessions.signOut(readCookie(request, REFRESH_COOKIE));
    if (username)
      await this.audit.record({
        actor: `account:${username}`,
        role: 'account',
        action: 'auth.sign-out',
        target: `account:${username}`,
        ip: request.ip,
      });
    // The access token shown with it ends too, not just at its expiry.
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const jti = bearer ? await this.verifier.verifiedTokenId(bearer) : undefined;
    if (jti) await this.revocations.revoke({ jti });
    clearCookie(reply);
  }

  @ApiBearerAuth()
  @Get('me')
  @ApiOperation({ summary: 'Who the bearer token stands for' })
  me(@CurrentPrincipal() principal: Principal) {
    return this.sessions.me(principal);
  }
}

function setSession(reply: FastifyReply, session: Session) {
  void reply.header(
    'set-cookie',
    `${REFRESH_COOKIE}=${session.refreshToken}; HttpOnly; Secure; SameSite=Strict; Path=${REFRESH_COOKIE_PATH}; Max-Age=${session.refreshMaxAgeSeconds}`,
  );
  void reply.header('cache-control', 'no-store');
  return session.body;
}

function clearCookie(reply: FastifyReply): void {
  void reply.header(
    'set-cookie',
    `${REFRESH_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=${REFRESH_COOKIE_PATH}; Max-Age=0`,
  );
}

/** One cookie's value from the Cookie header (no cookie plugin needed for one opaque token). */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      const token = value.join('=');
      return /^[\w-]{20,200}$/.test(token) ? token : undefined;
    }
  }
  return undefined;
}
