import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AllowRoles, CurrentPrincipal, validationProblem, type Principal } from '@huoju/platform';
import { ComplianceError, fieldError } from './compliance.errors';
import {
  EXPORT_FORMATS,
  XLSX_CONTENT_TYPE,
  exportFileName,
  trendCsv,
  trendXlsx,
  workQueueCsv,
  workQueueXlsx,
  type ExportFormat,
} from './compliance-export';
import { ComplianceService, type ComplianceQuery } from './compliance.service';

@ApiTags('compliance')
@ApiBearerAuth()
@AllowRoles('street', 'park', 'commission', 'admin')
@Controller('v1/compliance')
export class ComplianceController {
  constructor(private readonly compliance: ComplianceService) {}

  @Get()
  @ApiOperation({
    summary:
      'Filing rate, on-time rate and the work queue of missing and late enterprises for a street or park (催报); format=csv|xlsx downloads',
  })
  async workQueue(
    @Query() query: ComplianceQuery & { format?: string },
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const format = formatOf(query.format);
    const view = await this.compliance.workQueue(principal, query);
    if (format === 'json') return void (await reply.send(view));
    const body = format === 'csv' ? workQueueCsv(view) : await workQueueXlsx(view);
    await download(reply, format, exportFileName(view, format), body);
  }

  @Get('trend')
  @ApiOperation({
    summary:
      'Filing and on-time rates over the last periods (default 12) for a street or park; format=csv|xlsx downloads',
  })
  async trend(
    @Query() query: ComplianceQuery & { format?: string },
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const format = formatOf(query.format);
    const view = await this.compliance.trend(principal, query);
    if (format === 'json') return void (await reply.send(view));
    const body = format === 'csv' ? trendCsv(view) : await trendXlsx(view);
    await download(reply, format, exportFileName(view, format), body);
  }

  @Get('evaluation')
  @AllowRoles('commission', 'admin')
  @ApiOperation({
    summary: 'Filing rates per park and carrier for a period, with the units below the threshold (一次通报、两次摘牌)',
  })
  evaluation(@Query() query: ComplianceQuery, @CurrentPrincipal() principal: Principal) {
    return this.compliance.evaluation(principal, query);
  }
}

function formatOf(value: string | undefined): ExportFormat {
  const format = (value ?? 'json') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format))
    throw validationProblem([
      fieldError('/format', ComplianceError.FORMAT, 'format 须为 json、csv 或 xlsx', 'format is json, csv or xlsx'),
    ]);
  return format;
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
