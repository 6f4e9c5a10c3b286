import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AllowRoles,
  CurrentPrincipal,
  ProblemException,
  Public,
  TokenService,
  type Principal,
  type Role,
} from '@huoju/platform';
import { INTAKE_CONFIG, type IntakeConfig } from '../intake.config';
import { ApiKeyService } from './api-key.service';

@ApiTags('auth')
@Controller('v1')
export class AuthController {
  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly tokens: TokenService,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  @Public()
  @Post('auth/token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange an API key (header "Authorization: ApiKey <id.secret>") for a short-lived bearer token',
  })
  async token(@Headers('authorization') authorization: string | undefined) {
    const apiKey = /^ApiKey (.+)$/i.exec(authorization ?? '')?.[1];
    const principal = apiKey ? await this.apiKeys.authenticate(apiKey) : undefined;
    if (!principal) {
      throw new ProblemException(
        401,
        'AUTH.INVALID_API_KEY',
        'Invalid API key',
        'Send "Authorization: ApiKey <id.secret>" with an active key.',
        [],
        'API 密钥无效或已吊销',
      );
    }
    const { token, expiresAt } = this.tokens.mint(principal, this.config.AUTH_TOKEN_TTL_SECONDS);
    return { accessToken: token, tokenType: 'Bearer', expiresAt, role: principal.role, scope: principal.scope };
  }

  @ApiBearerAuth()
  @AllowRoles('admin')
  @Post('api-keys')
  @ApiOperation({
    summary: 'Create an API key for an enterprise, street team, park team or the commission (the secret is shown once)',
  })
  create(@Body() body: { role: Role; scope?: string[]; label: string }, @CurrentPrincipal() principal: Principal) {
    return this.apiKeys.create({ role: body?.role, scope: body?.scope ?? [], label: body?.label }, principal);
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
  async revoke(@Param('id') id: string): Promise<void> {
    await this.apiKeys.revoke(id);
  }
}
