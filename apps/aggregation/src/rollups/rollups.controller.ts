import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import type { FastifyRequest } from 'fastify';
import { aggregationRoutes as routes, type ResponseOf } from '@huoju/contracts/http';
import { AuditTrail } from '@huoju/messaging';
import { DEFAULT_FORM_ID, formVersionFor, park, parsePeriod, periodBounds, shanghaiDate } from '@huoju/domain';
import {
  AllowRoles,
  CLOCK,
  assertInScope,
  scopeFilter,
  CurrentPrincipal,
  ProblemException,
  Valid,
  forbidden,
  validationProblem,
  type Clock,
  type FieldError,
  type Principal,
  type RequestQuota,
  type ValidRequest,
} from '@huoju/platform';
import { ROLLUP_QUEUE } from './rollup.jobs';
import { ROLLUP_QUOTA } from './rollup-quota';
import { RollupRepository } from './rollup.repository';
import { RollupScheduler } from './rollup.scheduler';

type R = typeof routes;

/** What a caller sees of a failed roll-up: a code; the cause is in the service log and rollup_run. */
const ROLLUP_FAILED = {
  code: 'ROLLUP.FAILED',
  messageZh: '汇总失败，将自动重试；原因已记入服务日志',
  messageEn: 'The roll-up failed and is retried; the cause is in the service log',
} as const;

@AllowRoles('park', 'commission', 'admin')
@Controller('v1/rollups')
export class RollupsController {
  constructor(
    private readonly scheduler: RollupScheduler,
    @InjectQueue(ROLLUP_QUEUE) private readonly queue: Queue,
    private readonly orm: MikroORM,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ROLLUP_QUOTA) private readonly quota: RequestQuota,
    private readonly audit: AuditTrail,
    private readonly rollups: RollupRepository,
  ) {}

  @Post()
  @HttpCode(202)
  async request(
    @Valid(routes.requestRollup) { body }: ValidRequest<R['requestRollup']>,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<ResponseOf<R['requestRollup'], 202>> {
    const errors: FieldError[] = [];
    const parkCode = body.park;
    const formId = body.formId ?? DEFAULT_FORM_ID;
    const period = body.period;
    if (parkCode !== 'all' && !park(parkCode))
      errors.push({
        pointer: '/park',
        code: 'ROLLUP.PARK',
        messageZh: `未知园区 ${parkCode}`,
        messageEn: `Unknown park ${parkCode} (or "all")`,
      });
    const form = formVersionFor(formId, period);
    if (!form)
      errors.push({
        pointer: '/period',
        code: 'ROLLUP.PERIOD',
        messageZh: `报表 ${formId} 没有报告期 ${period}`,
        messageEn: `Form ${formId} has no period ${period}`,
      });
    else if (periodBounds(parsePeriod(period, form.periodType)).start > shanghaiDate(this.clock.now()))
      errors.push({
        pointer: '/period',
        code: 'ROLLUP.PERIOD_IN_FUTURE',
        messageZh: `报告期 ${period} 尚未开始，不能汇总`,
        messageEn: `Period ${period} has not begun; there is nothing to roll up`,
      });
    if (errors.length > 0) throw validationProblem(errors);
    assertInScope(principal, 'park', parkCode);
    await this.quota.consume(principal);
    const ids = await this.scheduler.onDemand(parkCode, formId, period);
    await this.audit.record(principal, request.ip, {
      action: 'rollup.request',
      target: parkCode,
      details: { formId, period, jobs: ids },
    });
    return { jobs: ids.map((id) => ({ id, links: { self: `/v1/rollups/${id}` } })) };
  }

  @Get(':id')
  async status(
    @Valid(routes.getRollup) { params }: ValidRequest<R['getRollup']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['getRollup'], 200>> {
    const { id } = params;
    const job = await this.queue.getJob(id);
    const run = await this.rollups.run(this.orm.em.fork(), id);
    if (!job && !run) throw new ProblemException(404, 'ROLLUP.NOT_FOUND', 'Not found', `No roll-up ${id}.`);
    const parkCode = run?.park_code ?? (job?.data as { parkCode?: string } | undefined)?.parkCode;
    if (parkCode) assertInScope(principal, 'park', parkCode);
    else if (scopeFilter(principal).kind !== 'all') throw forbidden();
    return {
      id,
      state: run?.state ?? (job ? await job.getState() : 'unknown'),
      progress: run?.state === 'completed' ? 100 : typeof job?.progress === 'number' ? job.progress : 0,
      parkCode,
      formId: run?.form_id ?? (job?.data as { formId?: string } | undefined)?.formId,
      period: run?.period ?? (job?.data as { period?: string } | undefined)?.period,
      trigger: run?.trigger ?? (job?.data as { trigger?: string } | undefined)?.trigger,
      final: run?.final ?? null,
      figures: run?.figures ?? null,
      revisedFigures: run?.revised_figures ?? null,
      filings: run?.filings ?? null,
      factsHash: run?.facts_hash ?? null,
      error: run?.error || job?.failedReason ? ROLLUP_FAILED : null,
      startedAt: run?.started_at ? new Date(run.started_at).toISOString() : null,
      finishedAt: run?.finished_at ? new Date(run.finished_at).toISOString() : null,
    };
  }
}
