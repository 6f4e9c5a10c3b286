import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { aggregationRoutes as routes, type ResponseOf } from '@huoju/contracts/http';
import { AllowRoles, CurrentPrincipal, Valid, type Principal, type ValidRequest } from '@huoju/platform';
import {
  XLSX_CONTENT_TYPE,
  exportFileName,
  trendCsv,
  trendXlsx,
  workQueueCsv,
  workQueueXlsx,
} from './compliance-export';
import { ComplianceService } from './compliance.service';

type R = typeof routes;

@AllowRoles('street', 'park', 'commission', 'admin')
@Controller('v1/compliance')
export class ComplianceController {
  constructor(private readonly compliance: ComplianceService) {}

  @Get()
  async workQueue(
    @Valid(routes.getCompliance) { query }: ValidRequest<R['getCompliance']>,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const format = query.format ?? 'json';
    // A download carries the whole (filtered) queue; the JSON view one page of it.
    const slice = format === 'json' ? ComplianceService.sliceOf(query) : 'all';
    const view = await this.compliance.workQueue(principal, query, slice);
    if (format === 'json') return void (await reply.send(view satisfies ResponseOf<R['getCompliance'], 200>));
    const body = format === 'csv' ? workQueueCsv(view) : await workQueueXlsx(view);
    await download(reply, format, exportFileName(view, format), body);
  }

  @Get('trend')
  async trend(
    @Valid(routes.getComplianceTrend) { query }: ValidRequest<R['getComplianceTrend']>,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const format = query.format ?? 'json';
    const view = await this.compliance.trend(principal, query);
    if (format === 'json') return void (await reply.send(view satisfies ResponseOf<R['getComplianceTrend'], 200>));
    const body = format === 'csv' ? trendCsv(view) : await trendXlsx(view);
    await download(reply, format, exportFileName(view, format), body);
  }

  @Get('evaluation')
  @AllowRoles('commission', 'admin')
  evaluation(
    @Valid(routes.getEvaluation) { query }: ValidRequest<R['getEvaluation']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['getEvaluation'], 200>> {
    return this.compliance.evaluation(principal, query);
  }
}

async function download(
  reply: FastifyReply,
  format: 'csv' | 'xlsx',
  fileName: string,
  body: string | Buffer,
): Promise<void> {
  await reply
    .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_CONTENT_TYPE)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .send(body);
}
