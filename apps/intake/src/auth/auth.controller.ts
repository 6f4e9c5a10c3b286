import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  AllowRoles,
  CurrentPrincipal,
  ProblemException,
  Public,
  RevocationList,
  TokenIssuer,
  type Principal,
} from '@huoju/platform';
import { INTAKE_CONFIG, type IntakeConfig } from '../intake.config';
import { locked } from '../accounts/session.service';
import { Audited } from '../audit/audited.interceptor';
import { AuditService } from '../audit/audit.service';
import { ApiKeyService } from './api-key.service';
import { AttemptLimiter, type AttemptSubject } from './attempt-limiter';

@ApiTags('auth')
@Controller('v1')
export class AuthController {
  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly tokens: TokenIssuer,
    private readonly revocations: RevocationList,
    private readonly attempts: AttemptLimiter,
    private readonly audit: AuditService,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  @Public()
  @Post('auth/token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange an API key (header "Authorization: ApiKey <id.secret>") for a short-lived bearer token',
  })
  async token(@Headers('authorization') authorization: string | undefined, @Req() request: FastifyRequest) {
    const apiKey = /^ApiKey (.+)$/i.exec(authorization ?? '')?.[1];
    // Wrong keys back off per key id and per address, like wrong passwords.
    const subjects: AttemptSubject[] = [{ kind: 'address', value: request.ip }];
    const id = apiKey?.split('.', 1)[0];
    if (id) subjects.push({ kind: 'name', value: `key:${id.slice(0, 64)}` });
    const wait = await this.attempts.retryAfter(subjects);
    if (wait > 0) throw locked(wait);
    const principal = apiKey ? await this.apiKeys.authenticate(apiKey) : undefined;
    if (!principal) {
      await this.attempts.recordFailure(subjects);
      await this.audit.record({
        actor: id ? id.slice(0, 64) : 'anonymous',
        role: 'anonymous',
        action: 'auth.token-failed',
        target: 'api-key',
        ip: request.ip,
      });
      throw new ProblemException(
        401,
        'AUTH.INVALID_API_KEY',
        'Invalid API key',
        'Send "Authorization: ApiKey <id.secret>" with an active key.',
        [],
        'API 密钥无效、已过期或已吊销',
      );
    }
    const { token, expiresAt } = await this.tokens.mint(principal, this.config.AUTH_TOKEN_TTL_SECONDS);
    await this.audit.record({
      actor: principal.subject,
      role: principal.role,
      action: 'auth.token',
      target: 'api-key',
      ip: request.ip,
    });
    return { accessToken: token, tokenType: 'Bearer', expiresAt, role: principal.role, scope: principal.scope };
  }

  @ApiBearerAuth()
  @AllowRoles('admin')
  @Post('api-keys')
  @Audited({ action: 'api-key.create', target: (_, result) => (result as { id: string }).id })
  @ApiOperation({
    summary: 'Create an API key for an enterprise, street team, park team or the commission (the secret is shown once)',
  })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.apiKeys.create(body, principal);
  }

  @ApiBearerAuth()
  @AllowRoles('admin')
  @Get('api-keys')
  list() {
    return this.apiKeys.list();
  }

  @ApiBearerAuth()
  @AllowRoles('admin')
  @Post('api-keys/:id/revoke')
  @HttpCode(204)
  @Audited({ action: 'api-key.revoke', target: (params) => params.id ?? '' })
  async revoke(@Param('id') id: string): Promise<void> {
    await this.apiKeys.revoke(id);
    // Its tokens still verify by signature; every service refuses them from the revocation list within seconds.
    await this.revocations.revoke({ subject: id });
  }
}
