import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { formIds } from '@huoju/domain';
import { CLOCK, LOGGER, type Clock } from '@huoju/platform';
import { COMPLIANCE_CONFIG, type ComplianceConfig } from './compliance.config';
import { DEADLINE_QUEUE, DeadlineJob, deadlineJobId, type DeadlineJobOf } from './compliance.jobs';
import { lateReceiptsPossible, overdueCatchUpDue, periodsInPlay, type PeriodDeadlines } from './deadline-calendar';
import { DeliveryDispatcher } from './delivery.dispatcher';
import { EvaluationService } from './evaluation.service';
import { ReminderService } from './reminder.service';

const YEAR_SECONDS = 366 * 24 * 3600;

/**
 * Puts each deadline of each form and period on the queue as a delayed job with a deterministic id: the job
 * lives in Redis, so it fires once at its time whichever instance is running then, and scheduling it again
 * (every sweep, every restart) is a no-op. Deadlines that passed while nothing was running are caught up at
 * start and daily; the reminder keys make any repeat harmless. The job schedulers live in Redis too: when
 * Redis comes back (`ready`) or a check every sweep interval finds them gone (a flush), they are created again.
 */
@Injectable()
export class DeadlineScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectQueue(DEADLINE_QUEUE) private readonly queue: Queue,
    private readonly reminders: ReminderService,
    private readonly evaluations: EvaluationService,
    private readonly deliveries: DeliveryDispatcher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMPLIANCE_CONFIG) private readonly config: ComplianceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.COMPLIANCE_REMINDERS === 'off') {
      this.logger.warn(
        'compliance reminders are off (COMPLIANCE_REMINDERS=off): no deadline jobs, sweeps or catch-ups',
      );
      return;
    }
    // Not awaited: the service starts while Redis is down, and these run when it answers.
    void this.startSchedules();
    void this.queue.getBackend().client.then(
      (client) => client.on('ready', () => void this.recreate('redis ready')),
      () => undefined,
    );
    this.timer = setInterval(() => void this.recreate('periodic'), this.config.COMPLIANCE_SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async startSchedules(): Promise<void> {
    try {
      await this.ensureSchedulers(false);
      // The catch-up sweep at start: deadlines that passed while the service was down.
      await this.queue.add(DeadlineJob.CatchUp, {} satisfies DeadlineJobOf<DeadlineJob.CatchUp>, {
        removeOnComplete: 100,
        removeOnFail: 100,
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'compliance job schedulers not created at start; the periodic check does it');
    }
  }

  private async recreate(reason: string): Promise<void> {
    try {
      if (!(await this.ensureSchedulers(true))) return;
      this.logger.warn({ reason }, 'compliance job schedulers were missing (Redis lost its data); created again');
      // The delayed deadline jobs went with them: a sweep schedules them again, a catch-up sends what fell due.
      for (const job of [DeadlineJob.Sweep, DeadlineJob.CatchUp] as const)
        await this.queue.add(job, {}, { removeOnComplete: 100, removeOnFail: 100 });
    } catch (error) {
      this.logger.warn({ err: error, reason }, 'compliance job schedulers not checked; retried at the next tick');
    }
  }

  /** Upserts the sweep and catch-up schedulers (only when one is missing: then existing ones keep their next run). */
  private async ensureSchedulers(onlyMissing: boolean): Promise<boolean> {
    if (onlyMissing) {
      const [sweep, catchUp] = await Promise.all([
        this.queue.getJobScheduler('compliance-sweep'),
        this.queue.getJobScheduler('compliance-catch-up'),
      ]);
      if (sweep && catchUp) return false;
    }
    await this.queue.upsertJobScheduler(
      'compliance-sweep',
      { every: this.config.COMPLIANCE_SWEEP_EVERY_MS },
      { name: DeadlineJob.Sweep, data: {} },
    );
    await this.queue.upsertJobScheduler(
      'compliance-catch-up',
      { pattern: this.config.COMPLIANCE_CATCH_UP_CRON, tz: 'Asia/Shanghai' },
      { name: DeadlineJob.CatchUp, data: {} },
    );
    return true;
  }

  /** Schedules upcoming deadlines, sends late-received notices, records closed periods' evaluations, re-queues stuck deliveries. */
  async sweep(): Promise<{ scheduled: number; lateReceived: number; evaluated: number; requeued: number }> {
    const now = this.clock.now();
    let scheduled = 0;
    let lateReceived = 0;
    let evaluated = 0;
    for (const formId of formIds()) {
      // Oldest first: an evaluation's streak reads the previous period's, so one recorded again redoes the later ones.
      let redoLater = false;
      for (const deadlines of periodsInPlay(formId, now, this.config.COMPLIANCE_REMIND_HOUR)) {
        if (deadlines.dueSoonAt > now)
          scheduled += await this.schedule(DeadlineJob.DueSoon, deadlines, deadlines.dueSoonAt, now);
        if (deadlines.overdueAt > now)
          scheduled += await this.schedule(DeadlineJob.Overdue, deadlines, deadlines.overdueAt, now);
        if (lateReceiptsPossible(deadlines, now)) lateReceived += await this.reminders.lateReceived(deadlines);
        if (deadlines.overdueAt <= now && (await this.evaluations.evaluate(deadlines, redoLater))) {
          evaluated++;
          redoLater = true;
        }
      }
    }
    const requeued = await this.deliveries.requeuePending();
    return { scheduled, lateReceived, evaluated, requeued };
  }

  /** Deadlines already passed whose reminders are still news: due-soon until the due date, overdue for a while after the grace end. */
  async catchUp(): Promise<{ dueSoon: number; overdue: number }> {
    const now = this.clock.now();
    let dueSoon = 0;
    let overdue = 0;
    for (const formId of formIds()) {
      for (const deadlines of periodsInPlay(formId, now, this.config.COMPLIANCE_REMIND_HOUR)) {
        if (deadlines.dueSoonAt <= now && now < deadlines.schedule.dueAt)
          dueSoon += await this.reminders.dueSoon(deadlines);
        if (overdueCatchUpDue(deadlines, now, this.config.COMPLIANCE_CATCH_UP_DAYS))
          overdue += await this.reminders.overdue(deadlines);
      }
    }
    if (dueSoon + overdue > 0) this.logger.info({ dueSoon, overdue }, 'compliance reminders caught up');
    return { dueSoon, overdue };
  }

  /** Adds the delayed job unless one with its id exists (waiting, delayed, or kept after completion). Returns 1 when added. */
  private async schedule(
    job: DeadlineJob.DueSoon | DeadlineJob.Overdue,
    deadlines: PeriodDeadlines,
    fireAt: Date,
    now: Date,
  ): Promise<number> {
    const jobId = deadlineJobId(
      job === DeadlineJob.DueSoon ? 'due-soon' : 'overdue',
      deadlines.formId,
      deadlines.period,
    );
    if (await this.queue.getJob(jobId)) return 0;
    await this.queue.add(
      job,
      { formId: deadlines.formId, period: deadlines.period, fireAt: fireAt.toISOString() } satisfies DeadlineJobOf<
        typeof job
      >,
      {
        jobId,
        delay: fireAt.getTime() - now.getTime(),
        attempts: 5,
        backoff: { type: 'exponential', delay: 5_000 },
        // Kept for a year so the id stays taken: a completed deadline is not scheduled again.
        removeOnComplete: { age: YEAR_SECONDS },
        removeOnFail: { age: YEAR_SECONDS },
      },
    );
    return 1;
  }
}
