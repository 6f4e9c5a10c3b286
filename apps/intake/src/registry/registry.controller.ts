import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles, CurrentPrincipal, type Principal } from '@huoju/platform';
import { RegistryService, type RosterQuery } from './registry.service';
import { Audited } from '../audit/audited.interceptor';

@ApiTags('registry')
@ApiBearerAuth()
@Controller('v1/enterprises')
export class RegistryController {
  constructor(private readonly registry: RegistryService) {}

  @Post()
  @Audited({ action: 'roster.change', target: (_, result) => String((result as { uscc?: string })?.uscc ?? '') })
  @AllowRoles('admin', 'park')
  @ApiOperation({ summary: 'Register an enterprise in the roster (park teams: their own park)' })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.registry.create(body, principal);
  }

  @Get()
  @ApiOperation({
    summary:
      'List and search the roster as of a date (filters: park, subPark, street, tag, industry, form, q, on; paging)',
  })
  list(@Query() query: RosterQuery, @CurrentPrincipal() principal: Principal) {
    return this.registry.list(query, principal);
  }

  @Get(':uscc')
  get(@Param('uscc') uscc: string, @CurrentPrincipal() principal: Principal) {
    return this.registry.get(uscc, principal);
  }

  @Get(':uscc/history')
  @ApiOperation({ summary: 'Every version of the enterprise, with what changed, who changed it and when' })
  history(@Param('uscc') uscc: string, @CurrentPrincipal() principal: Principal) {
    return this.registry.history(uscc, principal);
  }

  @Patch(':uscc')
  @Audited({ action: 'roster.change', target: (params) => params.uscc ?? '' })
  @AllowRoles('admin', 'park')
  update(@Param('uscc') uscc: string, @Body() body: Record<string, unknown>, @CurrentPrincipal() principal: Principal) {
    return this.registry.update(uscc, body ?? {}, principal);
  }

  @Post(':uscc/memberships')
  @Audited({ action: 'roster.change', target: (params) => params.uscc ?? '' })
  @HttpCode(200)
  @AllowRoles('admin', 'park')
  @ApiOperation({
    summary: 'Move to another park / sub-park / carrier from a date; the old membership ends the day before',
  })
  move(@Param('uscc') uscc: string, @Body() body: Record<string, unknown>, @CurrentPrincipal() principal: Principal) {
    return this.registry.move(uscc, body ?? {}, principal);
  }

  @Post(':uscc/memberships/close')
  @Audited({ action: 'roster.change', target: (params) => params.uscc ?? '' })
  @HttpCode(200)
  @AllowRoles('admin', 'park')
  @ApiOperation({ summary: 'End the park membership on a date (the enterprise leaves the zone)' })
  leave(@Param('uscc') uscc: string, @Body() body: Record<string, unknown>, @CurrentPrincipal() principal: Principal) {
    return this.registry.close(uscc, 'membership', body ?? {}, principal);
  }

  @Post(':uscc/streets')
  @Audited({ action: 'roster.change', target: (params) => params.uscc ?? '' })
  @HttpCode(200)
  @AllowRoles('admin', 'park')
  changeStreet(
    @Param('uscc') uscc: string,
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.registry.changeStreet(uscc, body ?? {}, principal);
  }

  @Post(':uscc/qualifications')
  @Audited({ action: 'roster.change', target: (params) => params.uscc ?? '' })
  @HttpCode(200)
  @AllowRoles('admin', 'park')
  addQualification(
    @Param('uscc') uscc: string,
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.registry.addQualification(uscc, body ?? {}, principal);
  }

  @Post(':uscc/scope')
  @Audited({ action: 'roster.change', target: (params) => params.uscc ?? '' })
  @HttpCode(200)
  @AllowRoles('admin', 'park')
  @ApiOperation({ summary: 'Put the enterprise in the survey scope of a form from a date' })
  setScope(
    @Param('uscc') uscc: string,
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.registry.setScope(uscc, body ?? {}, principal);
  }

  @Post(':uscc/scope/close')
  @Audited({ action: 'roster.change', target: (params) => params.uscc ?? '' })
  @HttpCode(200)
  @AllowRoles('admin', 'park')
  closeScope(
    @Param('uscc') uscc: string,
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.registry.close(uscc, 'scope', body ?? {}, principal);
  }
}
