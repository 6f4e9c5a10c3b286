import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import { formVersionFor, parsePeriod, periodBounds, periodTypeOf, scheduleFor } from '@huoju/domain';
import { CLOCK, type Clock } from '@huoju/platform';
import { AGGREGATION_CONFIG, type AggregationConfig } from '../aggregation.config';
import type { FactKey } from '../facts/facts.repository';
import { ROLLUP_QUEUE, RollupJob, type JobOf } from './rollup.jobs';
import { RollupPacer } from './rollup-pacer';
import { RollupPendingRepository, type PendingRollupRow } from './rollup-pending.repository';
import { RollupScheduleQuery, finalKey } from './rollup-schedule.query';
import type { RollupTrigger } from './rollup.service';

/**
 * Decides when a park's period is rolled up: shortly after accepted filings change it (debounced and
 * deduplicated per park and period), on demand, and daily when periods close (then as final figures).
 */
@Injectable()
export class RollupScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(ROLLUP_QUEUE) private readonly queue: Queue,
    private readonly orm: MikroORM,
    @Inject(AGGREGATION_CONFIG) private readonly config: AggregationConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly pacer: RollupPacer,
    private readonly pending: RollupPendingRepository,
    private readonly schedule: RollupScheduleQuery,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited, so the service starts while Redis is down; this completes when Redis answers, and the
    // reconciler creates the scheduler if it is still missing then.
    void this.ensureSchedulers(false).catch(() => undefined);
  }

  /** The daily closing job's scheduler (only when missing, after a Redis flush: then its next run stays put). */
  async ensureSchedulers(onlyMissing: boolean): Promise<void> {
    if (onlyMissing && (await this.queue.getJobScheduler('close-periods'))) return;
    await this.queue.upsertJobScheduler(
      'close-periods',
      { pattern: this.config.ROLLUP_CLOSE_CRON, tz: 'Asia/Shanghai' },
      { name: RollupJob.ClosePeriods, data: {} },
    );
  }

  /**
   * In the facts transaction: the parks the enterprises belonged to on those periods' last days (before and
   * now) need a roll-up. Recorded in PostgreSQL, so a lost queue (a Redis flush) cannot lose it; the jobs
   * are queued after the commit (`enqueue`) and re-queued by the reconciler when missing.
   */
  async recordPending(em: EntityManager, keys: readonly FactKey[]): Promise<PendingRollup[]> {
    return this.pending.record(
      em,
      keys.map((k) => ({
        ...k,
        periodEnd: periodEnd(k.formId, k.period),
        trigger: this.isClosed(k.formId, k.period) ? 'late-revision' : 'filing-accepted',
      })),
    );
  }

  /** After the commit: one debounced job per pending park-period. */
  async enqueue(pending: readonly PendingRollup[]): Promise<void> {
    await Promise.all(pending.map((p) => this.debounced(p.parkCode, p.formId, p.period, p.trigger)));
  }

  /** Every period these enterprises have filed in: the park-periods whose figures their roster change moves. */
  async rosterKeys(em: EntityManager, usccs: readonly string[]): Promise<FactKey[]> {
    return this.schedule.rosterKeys(em, usccs);
  }

  /**
   * Re-queues what PostgreSQL says is still pending and the job schedulers: after Redis lost its data (a
   * flush, a restart without persistence) and periodically. Adding is idempotent (deduplication ids).
   */
  async reconcile(olderThanMs: number): Promise<number> {
    await this.ensureSchedulers(true);
    const pending = await this.pending.olderThan(this.orm.em.fork(), olderThanMs);
    await this.enqueue(pending);
    return pending.length;
  }

  /** One job: a park's period, or every park's ("all") in one set-based pass. */
  async onDemand(parkCode: string | 'all', formId: string, period: string): Promise<string[]> {
    const job = await this.queue.add(
      RollupJob.RollupMonth,
      { parkCode, formId, period, trigger: 'on-demand' } satisfies JobOf<RollupJob.RollupMonth>,
      { ...RETRIED, removeOnComplete: 1000, removeOnFail: 5000 },
    );
    return [job.id!];
  }

  /** Every period whose grace ended without a final roll-up yet, for every park: caught up after downtime too. */
  async closePeriods(): Promise<number> {
    const em = this.orm.em.fork();
    const candidates = await this.schedule.factPeriods(em);
    const done = await this.schedule.finalParkPeriods(em);
    let queued = 0;
    for (const { formId, period } of candidates) {
      if (!this.isClosed(formId, period)) continue;
      const parksWithMembers = await this.schedule.parksWithMembersOn(em, periodEnd(formId, period));
      if (parksWithMembers.every((park) => done.has(finalKey(formId, period, park)))) continue;
      // Every park of the period at once, as final figures.
      await this.debounced('all', formId, period, 'period-closed');
      queued++;
    }
    return queued;
  }

  private async debounced(parkCode: string, formId: string, period: string, trigger: RollupTrigger): Promise<void> {
    await this.queue.add(
      RollupJob.RollupMonth,
      { parkCode, formId, period, trigger } satisfies JobOf<RollupJob.RollupMonth>,
      // One waiting job per park and period; filings arriving while it runs get exactly one follow-up.
      {
        delay:
          trigger === 'filing-accepted'
            ? this.pacer.delayFor(parkCode, formId, period)
            : this.config.ROLLUP_DEBOUNCE_MS,
        deduplication: { id: `${formId}:${period}:${parkCode}`, keepLastIfActive: true },
        ...RETRIED,
        removeOnComplete: 1000,
        removeOnFail: 5000,
      },
    );
  }

  private isClosed(formId: string, period: string): boolean {
    const form = formVersionFor(formId, period);
    return !!form && this.clock.now() >= scheduleFor(form, parsePeriod(period, form.periodType)).graceEndsAt;
  }
}

/** A roll-up that fails (a lost connection, a deadlock) is tried again with back-off rather than dropped. */
const RETRIED = { attempts: 10, backoff: { type: 'exponential', delay: 1000 } } as const;

export type PendingRollup = PendingRollupRow;

function periodEnd(formId: string, period: string): string {
  return periodBounds(parsePeriod(period, periodTypeOf(formId) ?? 'month')).end;
}
