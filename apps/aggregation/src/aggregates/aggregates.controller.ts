import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AllowRoles, CurrentPrincipal, type Principal } from '@huoju/platform';
import { AggregatesService, type AggregateQuery } from './aggregates.service';
import { toCsv } from './csv';

@ApiTags('aggregates')
@ApiBearerAuth()
@AllowRoles('street', 'park', 'commission', 'admin')
@Controller('v1/aggregates')
export class AggregatesController {
  constructor(private readonly aggregates: AggregatesService) {}

  @Get()
  @ApiOperation({
    summary:
      'Figures per zone, park, sub-park, street, industry, tag… for a form and period (JSON, or CSV with format=csv)',
  })
  async query(
    @Query() query: AggregateQuery & { format?: string },
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.aggregates.query(query, principal);
    if (query.format !== 'csv') {
      await reply.send(result);
      return;
    }
    const csv = toCsv(
      [
        'form',
        'period',
        'groupBy',
        'member',
        'memberName',
        'indicator',
        'measure',
        'value',
        'enterprises',
        'expected',
        'filed',
        'accepted',
        'final',
      ],
      result.rows.map((row) => [
        result.formId,
        result.period,
        result.groupBy,
        row.member,
        row.memberName,
        row.indicator,
        row.measure,
        row.value,
        row.enterprises,
        row.expected,
        row.filed,
        row.accepted,
        row.final,
      ]),
    );
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="aggregates-${result.formId}-${result.period}-${result.groupBy}-${result.measure}.csv"`,
      )
      .send(csv);
  }

  @Get('provenance')
  @ApiOperation({ summary: 'The enterprises and filing revisions behind one figure (groupBy, member, indicator)' })
  provenance(@Query() query: AggregateQuery & { member?: string }, @CurrentPrincipal() principal: Principal) {
    return this.aggregates.provenance(query, principal);
  }
}
