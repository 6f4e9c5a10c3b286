import { Controller, Get, Put } from '@nestjs/common';
import { torchExportRoutes as routes, type ResponseOf } from '@huoju/contracts/http';
import { AllowRoles, CurrentPrincipal, Valid, type Principal, type ValidRequest } from '@huoju/platform';
import { AutoExportService } from './auto-export.service';

type R = typeof routes;

@AllowRoles('commission', 'admin')
@Controller('v1/exports/auto')
export class AutoExportController {
  constructor(private readonly autoExports: AutoExportService) {}

  @Get()
  list(
    @Valid(routes.listAutoExports) _input: ValidRequest<R['listAutoExports']>,
  ): Promise<ResponseOf<R['listAutoExports'], 200>> {
    return this.autoExports.list();
  }

  @Get(':park')
  get(
    @Valid(routes.getAutoExport) { params }: ValidRequest<R['getAutoExport']>,
  ): Promise<ResponseOf<R['getAutoExport'], 200>> {
    return this.autoExports.get(params.park);
  }

  @Put(':park')
  update(
    @Valid(routes.setAutoExport) { params, body }: ValidRequest<R['setAutoExport']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['setAutoExport'], 200>> {
    return this.autoExports.update(params.park, body, principal);
  }
}
