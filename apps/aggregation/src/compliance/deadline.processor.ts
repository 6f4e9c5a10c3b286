import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { CLOCK, type Clock } from '@huoju/platform';
import { COMPLIANCE_CONFIG, type ComplianceConfig } from './compliance.config';
import { DEADLINE_QUEUE, DeadlineJob, type DeadlineJobOf } from './compliance.jobs';
import { deadlinesOf, type PeriodDeadlines } from './deadline-calendar';
import { DeadlineScheduler } from './deadline.scheduler';
import { ReminderService } from './reminder.service';

/** The deadline worker: thin, the work is in ReminderService and DeadlineScheduler. Concurrency comes from validated config. */
@Processor(DEADLINE_QUEUE)
export class DeadlineProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly reminders: ReminderService,
    private readonly scheduler: DeadlineScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMPLIANCE_CONFIG) private readonly config: ComplianceConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.COMPLIANCE_DEADLINE_CONCURRENCY;
  }

  async process(job: Job, token?: string): Promise<unknown> {
    switch (job.name as DeadlineJob) {
      case DeadlineJob.DueSoon: {
        const deadlines = await this.due(job, token, (d) => d.dueSoonAt);
        return { reminded: deadlines ? await this.reminders.dueSoon(deadlines) : 0 };
      }
      case DeadlineJob.Overdue: {
        const deadlines = await this.due(job, token, (d) => d.overdueAt);
        return { reminded: deadlines ? await this.reminders.overdue(deadlines) : 0 };
      }
      case DeadlineJob.Sweep:
        return this.scheduler.sweep();
      case DeadlineJob.CatchUp:
        return this.scheduler.catchUp();
    }
  }

  /**
   * The period's deadlines as the catalog has them now. A job that arrives early by the service clock (a
   * shifted clock, a changed schedule) is put back until its time instead of sending anything.
   */
  private async due(
    job: Job,
    token: string | undefined,
    fireAtOf: (d: PeriodDeadlines) => Date,
  ): Promise<PeriodDeadlines | undefined> {
    const data = job.data as DeadlineJobOf<DeadlineJob.DueSoon | DeadlineJob.Overdue>;
    const deadlines = deadlinesOf(data.formId, data.period, this.config.COMPLIANCE_REMIND_HOUR);
    if (!deadlines) return undefined;
    const early = fireAtOf(deadlines).getTime() - this.clock.now().getTime();
    if (early > 0) {
      await job.moveToDelayed(Date.now() + early, token);
      throw new DelayedError();
    }
    return deadlines;
  }
}
