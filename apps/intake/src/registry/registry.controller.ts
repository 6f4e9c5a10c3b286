import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { intakeRoutes as routes, type ResponseOf } from '@huoju/contracts/http';
import { AllowRoles, CurrentPrincipal, Valid, type Principal, type ValidRequest } from '@huoju/platform';
import { RegistryService } from './registry.service';

type R = typeof routes;
type EnterpriseAnswer = Promise<ResponseOf<R['getEnterprise'], 200>>;
import { Audited } from '../audit/audited.interceptor';

@Controller('v1/enterprises')
export class RegistryController {
  constructor(private readonly registry: RegistryService) {}

  @Post()
  @Audited({
    action: 'roster.change',
    target: (_, result) => String((result as { enterprise?: { uscc?: string } })?.enterprise?.uscc ?? ''),
  })
  @AllowRoles('admin', 'park')
  create(
    @Valid(routes.createEnterprise) input: ValidRequest<R['createEnterprise']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['createEnterprise'], 201>> {
    return this.registry.create(input.body, principal);
  }

  @Get()
  list(
    @Valid(routes.listEnterprises) input: ValidRequest<R['listEnterprises']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['listEnterprises'], 200>> {
    return this.registry.list(input.query, principal);
  }

  @Get(':uscc')
  get(
    @Valid(routes.getEnterprise) input: ValidRequest<R['getEnterprise']>,
    @CurrentPrincipal() principal: Principal,
  ): EnterpriseAnswer {
    return this.registry.get(input.params.uscc, principal);
  }

  @Get(':uscc/history')
  history(
    @Valid(routes.getEnterpriseHistory) input: ValidRequest<R['getEnterpriseHistory']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['getEnterpriseHistory'], 200>> {
    return this.registry.history(input.params.uscc, principal);
  }

  @Patch(':uscc')
  @Audited({ action: 'roster.change', target: (params) => params.uscc ?? '' })
  @AllowRoles('admin', 'park')
  update(
    @Valid(routes.updateEnterprise) input: ValidRequest<R['updateEnterprise']>,
    @CurrentPrincipal() principal: Principal,
  ): EnterpriseAnswer {
    return this.registry.update(input.params.uscc, input.body, principal);
  }

  @Post(':uscc/memberships')
  @Audited({ action: 'roster.change', target: (params) => params.uscc ?? '' })
  @HttpCode(200)
  @AllowRoles('admin', 'park')
  move(
    @Valid(routes.moveEnterprise) input: ValidRequest<R['moveEnterprise']>,
    @CurrentPrincipal() principal: Principal,
  ): EnterpriseAnswer {
    return this.registry.move(input.params.uscc, input.body, principal);
  }

  @Post(':uscc/memberships/close')
  @Audited({ action: 'roster.change', target: (params) => params.uscc ?? '' })
  @HttpCode(200)
  @AllowRoles('admin', 'park')
  leave(
    @Valid(routes.closeMembership) input: ValidRequest<R['closeMembership']>,
    @CurrentPrincipal() principal: Principal,
  ): EnterpriseAnswer {
    return this.registry.close(input.params.uscc, 'membership', input.body, principal);
  }

  @Post(':uscc/streets')
  @Audited({ action: 'roster.change', target: (params) => params.uscc ?? '' })
  @HttpCode(200)
  @AllowRoles('admin', 'park')
  changeStreet(
    @Valid(routes.changeStreet) input: ValidRequest<R['changeStreet']>,
    @CurrentPrincipal() principal: Principal,
  ): EnterpriseAnswer {
    return this.registry.changeStreet(input.params.uscc, input.body, principal);
  }

  @Post(':uscc/qualifications')
  @Audited({ action: 'roster.change', target: (params) => params.uscc ?? '' })
  @HttpCode(200)
  @AllowRoles('admin', 'park')
  addQualification(
    @Valid(routes.addQualification) input: ValidRequest<R['addQualification']>,
    @CurrentPrincipal() principal: Principal,
  ): EnterpriseAnswer {
    return this.registry.addQualification(input.params.uscc, input.body, principal);
  }

  @Post(':uscc/scope')
  @Audited({ action: 'roster.change', target: (params) => params.uscc ?? '' })
  @HttpCode(200)
  @AllowRoles('admin', 'park')
  setScope(
    @Valid(routes.setScope) input: ValidRequest<R['setScope']>,
    @CurrentPrincipal() principal: Principal,
  ): EnterpriseAnswer {
    return this.registry.setScope(input.params.uscc, input.body, principal);
  }

  @Post(':uscc/scope/close')
  @Audited({ action: 'roster.change', target: (params) => params.uscc ?? '' })
  @HttpCode(200)
  @AllowRoles('admin', 'park')
  closeScope(
    @Valid(routes.closeScope) input: ValidRequest<R['closeScope']>,
    @CurrentPrincipal() principal: Principal,
  ): EnterpriseAnswer {
    return this.registry.close(input.params.uscc, 'scope', input.body, principal);
  }
}
