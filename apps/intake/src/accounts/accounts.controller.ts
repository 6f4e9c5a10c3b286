import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles, CurrentPrincipal, RevocationList, type Principal } from '@huoju/platform';
import { Audited } from '../audit/audited.interceptor';
import { AccountsService, subjectOf } from './accounts.service';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1/accounts')
@AllowRoles('admin', 'park')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly revocations: RevocationList,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Accounts (admins: all; park teams: the street accounts of their park)' })
  list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    return this.accounts.list(query, principal);
  }

  @Post()
  @Audited({ action: 'account.create', target: (_, result) => (result as { username: string }).username })
  @ApiOperation({ summary: 'Create an account for a person (password policy applies)' })
  async create(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return (await this.accounts.create(body, principal)).account;
  }

  @Patch(':username')
  @Audited({ action: 'account.update', target: (params) => params.username ?? '' })
  @ApiOperation({ summary: 'Change, disable or re-enable an account, or set a new password' })
  async update(@Param('username') username: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const change = await this.accounts.update(username, body, principal);
    // Tokens carrying the old role or scope, or of a disabled account, end everywhere within seconds.
    if (change.revokeSessions) await this.revocations.revoke({ subject: subjectOf(username) });
    return change.account;
  }
}
