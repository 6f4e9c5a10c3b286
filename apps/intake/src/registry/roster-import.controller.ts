import { Body, Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { intakeRoutes as routes, type ResponseOf } from '@huoju/contracts/http';
import { AllowRoles, CurrentPrincipal, Valid, type Principal, type ValidRequest } from '@huoju/platform';
import { ROSTER_FILE_ROUTE } from './roster-file.body-parser';
import { RosterImportService } from './roster-import.service';
import { Audited } from '../audit/audited.interceptor';

type R = typeof routes;

@Controller('v1')
export class RosterImportController {
  constructor(private readonly rosterImport: RosterImportService) {}

  // Fastify reads "::" as a literal colon, so this is POST /v1/enterprises:import.
  @Post('enterprises::import')
  @Audited({ action: 'roster.import', target: () => 'roster' })
  @HttpCode(200)
  @AllowRoles('admin', 'park')
  @RouteConfig(ROSTER_FILE_ROUTE)
  import(
    @Valid(routes.importRoster) input: ValidRequest<R['importRoster']>,
    @Body() file: unknown,
    @Headers('content-type') contentType: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['importRoster'], 200>> {
    const dryRun = input.query.dryRun === 'true' || input.query.dryRun === '1';
    return this.rosterImport.import(file, contentType, dryRun, principal);
  }

  @Get('enterprises::import/template')
  @AllowRoles('admin', 'park')
  async template(
    @Valid(routes.getRosterTemplate) input: ValidRequest<R['getRosterTemplate']>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const template = await this.rosterImport.template(input.query.format ?? 'xlsx');
    void reply
      .header('content-type', template.contentType)
      .header('content-disposition', `attachment; filename="${template.filename}"`);
    return template.body;
  }
}
