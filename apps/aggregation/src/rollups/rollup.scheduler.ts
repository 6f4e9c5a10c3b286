import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import { formVersionFor, parsePeriod, periodBounds, scheduleFor } from '@huoju/domain';
import { CLOCK, type Clock } from '@huoju/platform';
import { AGGREGATION_CONFIG, type AggregationConfig } from '../aggregation.config';
import type { FactKey } from '../facts/facts.service';
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

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'close-periods',
      { pattern: this.config.ROLLUP_CLOSE_CRON, tz: 'Asia/Shanghai' },
      { name: RollupJob.ClosePeriods, data: {} },
    );
  }

  /** After facts changed: the parks the enterprises belonged to on those periods' last days (before and now). */
  async factsChanged(em: EntityManager, keys: readonly FactKey[]): Promise<void> {
    if (keys.length === 0) return;
    const targets = await em.execute<{ park_code: string; form_id: string; period: string }[]>(
      `WITH keys AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS k(uscc text, form_id text, period text, period_end date))
       SELECT DISTINCT m.park_code, k.form_id, k.period FROM keys k JOIN roster_membership m ON m.uscc = k.uscc
        WHERE m.valid_from <= k.period_end AND (m.valid_to IS NULL OR m.valid_to >= k.period_end)
       UNION
       SELECT DISTINCT i.park_code, i.form_id, i.period FROM keys k JOIN rollup_input i USING (uscc, form_id, period)`,
      [
        JSON.stringify(
          keys.map((k) => ({
            uscc: k.uscc,
            form_id: k.formId,
            period: k.period,
            period_end: periodEnd(k.formId, k.period),
          })),
        ),
      ],
    );
    await Promise.all(
      targets.map((t) =>
        this.debounced(
          t.park_code,
          t.form_id,
          t.period,
          this.isClosed(t.form_id, t.period) ? 'late-revision' : 'filing-accepted',
        ),
      ),
    );
  }

  /** After roster changes: every period these enterprises have facts in, for the parks they belong or belonged to. */
  async rosterChanged(em: EntityManager, usccs: readonly string[]): Promise<void> {
    if (usccs.length === 0) return;
    const keys = await em.execute<{ uscc: string; form_id: string; period: string }[]>(
      'SELECT DISTINCT uscc, form_id, period FROM fact WHERE uscc IN (SELECT jsonb_array_elements_text(?::jsonb))',
      [JSON.stringify(usccs)],
    );
    await this.factsChanged(
      em,
      keys.map((k) => ({ uscc: k.uscc, formId: k.form_id, period: k.period })),
    );
  }

  /** One job: a park's period, or every park's ("all") in one set-based pass. */
  async onDemand(parkCode: string | 'all', formId: string, period: string): Promise<string[]> {
    const job = await this.queue.add(RollupJob.RollupMonth, {
      parkCode,
      formId,
      period,
      trigger: 'on-demand',
    } satisfies JobOf<RollupJob.RollupMonth>);
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

function periodEnd(formId: string, period: string): string {
  return periodBounds(parsePeriod(period, formId === 'torch-annual' ? 'year' : 'month')).end;
}
