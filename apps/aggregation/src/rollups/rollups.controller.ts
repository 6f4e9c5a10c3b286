import { InjectQueue } from '@nestjs/bullmq';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import { formVersionFor, park } from '@huoju/domain';
import {
  AllowRoles,
  CurrentPrincipal,
  ProblemException,
  forbidden,
  validationProblem,
  type FieldError,
  type Principal,
} from '@huoju/platform';
import { ROLLUP_QUEUE } from './rollup.jobs';
import { RollupScheduler } from './rollup.scheduler';

@ApiTags('rollups')
@ApiBearerAuth()
@AllowRoles('park', 'commission', 'admin')
@Controller('v1/rollups')
export class RollupsController {
  constructor(
    private readonly scheduler: RollupScheduler,
    @InjectQueue(ROLLUP_QUEUE) private readonly queue: Queue,
    private readonly orm: MikroORM,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Roll up a park’s period now (park code or "all"); returns one job per park' })
  async request(
    @Body() body: { park?: string; formId?: string; period?: string },
    @CurrentPrincipal() principal: Principal,
  ) {
    const errors: FieldError[] = [];
    const parkCode = body?.park ?? '';
    const formId = body?.formId ?? 'torch-monthly';
    const period = body?.period ?? '';
    if (parkCode !== 'all' && !park(parkCode))
      errors.push({
        pointer: '/park',
        code: 'ROLLUP.PARK',
        messageZh: `未知园区 ${parkCode}`,
        messageEn: `Unknown park ${parkCode} (or "all")`,
      });
    if (!formVersionFor(formId, period))
      errors.push({
        pointer: '/period',
        code: 'ROLLUP.PERIOD',
        messageZh: `报表 ${formId} 没有报告期 ${period}`,
        messageEn: `Form ${formId} has no period ${period}`,
      });
    if (errors.length > 0) throw validationProblem(errors);
    if (principal.role === 'park' && (parkCode === 'all' || !principal.scope.includes(parkCode))) throw forbidden();
    const ids = await this.scheduler.onDemand(parkCode, formId, period);
    return { jobs: ids.map((id) => ({ id, links: { self: `/v1/rollups/${id}` } })) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'State and progress of a roll-up job' })
  async status(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    const job = await this.queue.getJob(id);
    const [run] = await this.orm.em
      .fork()
      .execute<Record<string, unknown>[]>('SELECT * FROM rollup_run WHERE id = ?', [id]);
    if (!job && !run) throw new ProblemException(404, 'ROLLUP.NOT_FOUND', 'Not found', `No roll-up ${id}.`);
    const parkCode =
      (run?.park_code as string | undefined) ?? (job?.data as { parkCode?: string } | undefined)?.parkCode;
    if (principal.role === 'park' && (!parkCode || !principal.scope.includes(parkCode))) throw forbidden();
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
      error: run?.error ?? job?.failedReason ?? null,
      startedAt: run?.started_at ?? null,
      finishedAt: run?.finished_at ?? null,
    };
  }
}
