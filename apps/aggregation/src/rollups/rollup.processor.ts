import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { Metrics, timed } from '@huoju/platform';
import { AGGREGATION_CONFIG, type AggregationConfig } from '../aggregation.config';
import { ROLLUP_QUEUE, RollupJob, type JobOf } from './rollup.jobs';
import { RollupPacer } from './rollup-pacer';
import { RollupScheduler } from './rollup.scheduler';
import { RollupService } from './rollup.service';

/** The roll-up worker: thin, the work is in RollupService. Concurrency comes from validated config. */
@Processor(ROLLUP_QUEUE)
export class RollupProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly rollups: RollupService,
    private readonly scheduler: RollupScheduler,
    private readonly pacer: RollupPacer,
    @Inject(AGGREGATION_CONFIG) private readonly config: AggregationConfig,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.ROLLUP_CONCURRENCY;
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as RollupJob) {
      case RollupJob.RollupMonth: {
        const data = job.data as JobOf<RollupJob.RollupMonth>;
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
}
