import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles, CurrentPrincipal, type Principal } from '@huoju/platform';
import { AccountsService } from './accounts.service';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1/accounts')
@AllowRoles('admin', 'park')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @ApiOperation({ summary: 'Accounts (admins: all; park teams: the street accounts of their park)' })
  list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    return this.accounts.list(query, principal);
  }

  @Post()
  @ApiOperation({ summary: 'Create an account for a person (password policy applies)' })
  async create(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return (await this.accounts.create(body, principal)).account;
  }

  @Patch(':username')
  @ApiOperation({ summary: 'Change, disable or re-enable an account, or set a new password' })
  async update(@Param('username') username: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return (await this.accounts.update(username, body, principal)).account;
  }
}
