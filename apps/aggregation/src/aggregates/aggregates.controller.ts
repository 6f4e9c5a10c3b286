import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { aggregationRoutes as routes, type ResponseOf } from '@huoju/contracts/http';
import { AllowRoles, CurrentPrincipal, Valid, type Principal, type ValidRequest } from '@huoju/platform';
import { AggregatesService } from './aggregates.service';
import { toCsv } from './csv';

type R = typeof routes;

@AllowRoles('street', 'park', 'commission', 'admin')
@Controller('v1/aggregates')
export class AggregatesController {
  constructor(private readonly aggregates: AggregatesService) {}

  @Get()
  async query(
    @Valid(routes.queryAggregates) { query }: ValidRequest<R['queryAggregates']>,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.aggregates.figures(query, principal);
    if (query.format !== 'csv') {
      await reply.send(result satisfies ResponseOf<R['queryAggregates'], 200>);
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
  provenance(
    @Valid(routes.getProvenance) { query }: ValidRequest<R['getProvenance']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['getProvenance'], 200>> {
    return this.aggregates.provenance(query, principal);
  }
}
