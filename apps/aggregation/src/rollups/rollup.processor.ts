import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { MikroORM } from '@mikro-orm/postgresql';
import { Metrics, timed } from '@huoju/platform';
import { AGGREGATION_CONFIG, type AggregationConfig } from '../aggregation.config';
import { ROLLUP_QUEUE, RollupJob, type JobOf } from './rollup.jobs';
import { RollupPacer } from './rollup-pacer';
import { deferralMs } from './rollup-deferral';
import { RollupPendingRepository } from './rollup-pending.repository';
import { RollupScheduler } from './rollup.scheduler';
import { RollupService } from './rollup.service';

/** The roll-up worker: thin, the work is in RollupService. Concurrency comes from validated config. */
@Processor(ROLLUP_QUEUE)
export class RollupProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly rollups: RollupService,
    private readonly scheduler: RollupScheduler,
    private readonly pacer: RollupPacer,
    private readonly orm: MikroORM,
    private readonly pending: RollupPendingRepository,
    @Inject(AGGREGATION_CONFIG) private readonly config: AggregationConfig,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.ROLLUP_CONCURRENCY;
  }

  async process(job: Job, token?: string): Promise<unknown> {
    switch (job.name as RollupJob) {
      case RollupJob.RollupMonth: {
        const data = job.data as JobOf<RollupJob.RollupMonth>;
        if (data.trigger === 'filing-accepted') await this.deferWhileFilingsArrive(job, data, token);
        const started = Date.now();
        const result = await timed(this.metrics.rollupDuration, () =>
          this.rollups.rollUp(data.parkCode, data.formId, data.period, data.trigger, job.id!, (percent) =>
            job.updateProgress(percent),
          ),
        );
        this.pacer.record(data.parkCode, data.formId, data.period, Date.now() - started);
        return result;
      }
      case RollupJob.ClosePeriods:
        return { queued: await this.scheduler.closePeriods() };
    }
  }

  /** A provisional roll-up of a park still receiving filings goes back to the delayed set (same job, same id). */
  private async deferWhileFilingsArrive(job: Job, data: JobOf<RollupJob.RollupMonth>, token?: string): Promise<void> {
    const age = await this.pending.age(this.orm.em.fork(), data);
    const wait = deferralMs(age, { quietMs: this.config.ROLLUP_QUIET_MS, maxDeferMs: this.config.ROLLUP_MAX_DEFER_MS });
    if (wait === 0) return;
    await job.moveToDelayed(Date.now() + wait, token);
    throw new DelayedError();
  }
}
