import { Controller, Get } from '@nestjs/common';
import { aggregationRoutes as routes, type ResponseOf } from '@huoju/contracts/http';
import { CurrentPrincipal, Valid, type Principal, type ValidRequest } from '@huoju/platform';
import { TargetsService } from './targets.service';

type R = typeof routes;

@Controller('v1/targets')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

  @Get()
  list(
    @Valid(routes.listTargets) { query }: ValidRequest<R['listTargets']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['listTargets'], 200>> {
    return this.targets.progress(query.park, principal);
  }
}
