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
    if (keys.length === 0) return [];
    const targets = await em.execute<{ park_code: string; form_id: string; period: string; trigger: RollupTrigger }[]>(
      // Only periods the enterprise filed in: a neighbour period's figures move exactly by delta and are
      // reconciled when one of its own filings or its closing asks for it.
      `WITH keys AS (SELECT k.* FROM jsonb_to_recordset(?::jsonb) AS k(uscc text, form_id text, period text, period_end date, trigger text)
                      JOIN filing_state fs USING (uscc, form_id, period)),
       targets AS (
         SELECT DISTINCT m.park_code, k.form_id, k.period, k.trigger FROM keys k JOIN roster_membership m ON m.uscc = k.uscc
          WHERE m.valid_from <= k.period_end AND (m.valid_to IS NULL OR m.valid_to >= k.period_end)
         UNION
         SELECT DISTINCT i.park_code, i.form_id, i.period, k.trigger FROM keys k JOIN rollup_input i USING (uscc, form_id, period)
       )
       INSERT INTO rollup_pending AS p (form_id, period, park_code, trigger)
       SELECT DISTINCT ON (form_id, period, park_code) form_id, period, park_code, trigger FROM targets ORDER BY form_id, period, park_code
       ON CONFLICT (form_id, period, park_code) DO UPDATE SET trigger = excluded.trigger, requested_at = clock_timestamp()
       RETURNING park_code, form_id, period, trigger`,
      [
        JSON.stringify(
          keys.map((k) => ({
            uscc: k.uscc,
            form_id: k.formId,
            period: k.period,
            period_end: periodEnd(k.formId, k.period),
            trigger: this.isClosed(k.formId, k.period) ? 'late-revision' : 'filing-accepted',
          })),
        ),
      ],
    );
    return targets.map((t) => ({ parkCode: t.park_code, formId: t.form_id, period: t.period, trigger: t.trigger }));
  }

  /** After the commit: one debounced job per pending park-period. */
  async enqueue(pending: readonly PendingRollup[]): Promise<void> {
    await Promise.all(pending.map((p) => this.debounced(p.parkCode, p.formId, p.period, p.trigger)));
  }

  /** Every period these enterprises have filed in: the park-periods whose figures their roster change moves. */
  async rosterKeys(em: EntityManager, usccs: readonly string[]): Promise<FactKey[]> {
    if (usccs.length === 0) return [];
    const keys = await em.execute<{ uscc: string; form_id: string; period: string }[]>(
      `SELECT DISTINCT u.uscc, s.form_id, s.period FROM jsonb_array_elements_text(?::jsonb) AS u(uscc)
         JOIN filing_state s ON s.uscc = u.uscc
       UNION
       SELECT u.uscc, p.form_id, p.period FROM jsonb_array_elements_text(?::jsonb) AS u(uscc)
         CROSS JOIN (SELECT DISTINCT form_id, period FROM figure_scope) p`,
      [JSON.stringify(usccs), JSON.stringify(usccs)],
    );
    return keys.map((k) => ({ uscc: k.uscc, formId: k.form_id, period: k.period }));
  }

  /**
   * Re-queues what PostgreSQL says is still pending and the job schedulers: after Redis lost its data (a
   * flush, a restart without persistence) and periodically. Adding is idempotent (deduplication ids).
   */
  async reconcile(olderThanMs: number): Promise<number> {
    await this.ensureSchedulers(true);
    const pending = await this.orm.em
      .fork()
      .execute<
        { park_code: string; form_id: string; period: string; trigger: RollupTrigger }[]
      >(`SELECT park_code, form_id, period, trigger FROM rollup_pending WHERE requested_at < clock_timestamp() - make_interval(secs => ?)`, [olderThanMs / 1000]);
    await this.enqueue(
      pending.map((t) => ({ parkCode: t.park_code, formId: t.form_id, period: t.period, trigger: t.trigger })),
    );
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
    const candidates = await em.execute<{ form_id: string; period: string }[]>(
      'SELECT DISTINCT form_id, period FROM fact',
    );
    const finals = await em.execute<{ form_id: string; period: string; park_code: string }[]>(
      `SELECT DISTINCT form_id, period, park_code FROM figure WHERE final`,
    );
    const done = new Set(finals.map((f) => `${f.form_id}|${f.period}|${f.park_code}`));
    let queued = 0;
    for (const { form_id: formId, period } of candidates) {
      if (!this.isClosed(formId, period)) continue;
      const parksWithMembers = await em.execute<{ park_code: string }[]>(
        'SELECT DISTINCT park_code FROM roster_membership WHERE valid_from <= ?::date AND (valid_to IS NULL OR valid_to >= ?::date)',
        [periodEnd(formId, period), periodEnd(formId, period)],
      );
      if (parksWithMembers.every(({ park_code: park }) => done.has(`${formId}|${period}|${park}`))) continue;
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

export interface PendingRollup {
  readonly parkCode: string;
  readonly formId: string;
  readonly period: string;
  readonly trigger: RollupTrigger;
}

function periodEnd(formId: string, period: string): string {
  return periodBounds(parsePeriod(period, periodTypeOf(formId) ?? 'month')).end;
}
