import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { IsolationLevel } from '@mikro-orm/core';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { AggregateRevised } from '@huoju/contracts';
import {
  formVersionFor,
  parks as zoneParks,
  parsePeriod,
  type FormId,
  periodBounds,
  previousMonthInYear,
  sameMonthLastYear,
  scheduleFor,
  type FormVersion,
} from '@huoju/domain';
import { Outbox } from '@huoju/messaging';
import { CLOCK, LOGGER, type Clock } from '@huoju/platform';
import { lockFigures, lockRoster } from '../figures/figure-deltas.repository';
import {
  RollupRepository,
  type ChangedFigure,
  type FigureRow,
  type InputRow,
  type RollupTarget,
} from './rollup.repository';

export type RollupTrigger = 'period-closed' | 'on-demand' | 'late-revision' | 'filing-accepted';

/** One roll-up as the service runs it: the form version, the target and whether it closes the period. */
interface RollupJobSpec {
  readonly form: FormVersion;
  readonly parkCode: string;
  readonly period: string;
  readonly month: number | null;
  readonly final: boolean;
  readonly rollupId: string;
  readonly trigger: RollupTrigger;
  /** The parks rolled up: one, or every park of the zone for "all". */
  readonly parks: readonly string[];
  readonly target: RollupTarget;
}

export interface RollupResult {
  readonly rollupId: string;
  readonly figures: number;
  readonly revisedFigures: number;
  readonly filings: number;
  readonly final: boolean;
}

/**
 * Rolls up one park's period: attributes enterprises by the roster on the period's last day, computes
 * year-to-date, single-month and comparable last-year figures for every dimension member, with
 * completeness, from one consistent snapshot of the facts. Records exactly which filing revisions the
 * figures came from; when a final figure changes, publishes aggregate.revised.v1 naming the revisions.
 */
@Injectable()
export class RollupService {
  constructor(
    private readonly orm: MikroORM,
    private readonly rollups: RollupRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async rollUp(
    parkCode: string,
    formId: string,
    period: string,
    trigger: RollupTrigger,
    rollupId: string = randomUUID(),
    onProgress?: (percent: number) => Promise<void>,
  ): Promise<RollupResult> {
    const form = formVersionFor(formId, period);
    if (!form) throw new Error(`no form ${formId} for ${period}`);
    const p = parsePeriod(period, form.periodType);
    const final = this.clock.now() >= scheduleFor(form, p).graceEndsAt;
    const em = this.orm.em.fork();
    await this.rollups.startRun(em, { id: rollupId, parkCode, formId, period, trigger, final });
    // "all" rolls up every park in one set-based pass: the same statements, amortised over the zone.
    const parks = parkCode === 'all' ? parkCodes() : [parkCode];
    const job: RollupJobSpec = {
      form,
      parkCode,
      period,
      month: p.type === 'month' ? p.month : null,
      final,
      rollupId,
      trigger,
      parks,
      target: { formId: form.formId, period, parks: JSON.stringify(parks) },
    };
    try {
      if (!final) {
        const clean = await this.reconcileFromSnapshot(em, job, onProgress);
        if (clean) return clean;
      }
      return await this.reconcileUnderLocks(em, job, onProgress);
    } catch (error) {
      this.logger.error({ err: error, rollupId, parkCode, formId, period }, 'roll-up failed');
      await this.rollups.failRun(em, rollupId, String((error as Error).message));
      throw error;
    }
  }

  /**
   * A provisional reconciliation from one REPEATABLE READ snapshot, without the figures' locks, so filings
   * keep being applied meanwhile (a park of 30,000 enterprises takes seconds to recompute). The deltas change
   * facts and figures in one transaction, so the snapshot compares like with like. Answers undefined when
   * something must be written besides provenance — a defect to repair, parks not yet maintained, a figure
   * already final — which is then done under the locks.
   */
  private async reconcileFromSnapshot(
    em: EntityManager,
    job: RollupJobSpec,
    onProgress?: (percent: number) => Promise<void>,
  ): Promise<RollupResult | undefined> {
    const { target } = job;
    const steps = new StepTimes();
    const outcome = await em.transactional(
      async (tx) => {
        await this.rollups.beginReconciliation(tx);
        steps.lap('locks');
        // What sends it to the locked path whatever the recomputation finds is checked before recomputing.
        const maintained = await this.rollups.maintainedParks(tx, target);
        if ((JSON.parse(maintained) as string[]).length < job.parks.length) return;
        if (await this.rollups.wasFinal(tx, target)) return;
        await this.stage(tx, job, onProgress);
        steps.lap('recompute');
        if ((await this.rollups.figureDefects(tx, target, maintained)).length > 0) return;
        await this.rollups.stageCompleteness(tx);
        if ((await this.rollups.completenessDefects(tx, target, maintained)) > 0) return;
        steps.lap('compare');
        const pending = await this.rollups.pendingSeen(tx, target);
        const result = await this.publish(tx, job, { changed: [], oldInputs: [], defects: 0 }, steps, onProgress);
        return { result, pending };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ },
    );
    if (!outcome) {
      this.logger.info(
        { parkCode: job.parkCode, formId: target.formId, period: job.period, stepsMs: steps.times },
        'reconciliation needs the figures’ locks (a repair, a park not yet maintained or a final figure)',
      );
      return undefined;
    }
    await this.rollups.finishPendingSeen(em, target, outcome.pending);
    this.logRolledUp(job, outcome.result, 'snapshot', steps);
    return outcome.result;
  }

  /** Recompute, compare and repair while holding the figures' locks: no delta is applied meanwhile. */
  private async reconcileUnderLocks(
    em: EntityManager,
    job: RollupJobSpec,
    onProgress?: (percent: number) => Promise<void>,
  ): Promise<RollupResult> {
    const { target, form, period } = job;
    const steps = new StepTimes();
    const result = await em.transactional(
      async (tx) => {
        // One roll-up or delta per (form, period, park) at a time: the advisory locks serialise them, so each
        // statement reads committed data no one else is changing and READ COMMITTED is consistent here.
        await this.rollups.beginReconciliation(tx);
        await lockRoster(tx, 'read');
        await lockFigures(
          tx,
          job.parks.map((park) => `${form.formId}|${period}|${park}`),
        );
        steps.lap('locks');
        await this.stage(tx, job, onProgress);
        steps.lap('recompute');

        // Reconciliation: the figures the deltas maintain must equal this recomputation; any difference is a
        // defect. Only park-periods already maintained are compared (the others start being maintained here).
        const maintained = await this.rollups.maintainedParks(tx, target);
        const maintainedList = JSON.parse(maintained) as string[];
        const defects = await this.rollups.figureDefects(tx, target, maintained);
        if (defects.length > 0)
          this.logger.error(
            {
              parkCode: job.parkCode,
              formId: form.formId,
              period,
              defects: defects.length,
              sample: defects.slice(0, 5),
            },
            'DEFECT: incrementally maintained figures differ from the recomputation; repaired',
          );

        // Revisions are only published for figures already final, against the values published then.
        const changed = (await this.rollups.wasFinal(tx, target)) ? await this.rollups.changedFigures(tx, target) : [];
        const oldInputs = changed.length === 0 ? [] : await this.rollups.inputs(tx, target);
        steps.lap('compare');

        await this.rollups.repairFigures(tx, target, job);
        await this.rollups.stageCompleteness(tx);
        const completenessDefects = await this.rollups.completenessDefects(tx, target, maintained);
        await this.rollups.replaceCompleteness(tx, target);
        steps.lap('repairFigures');
        // The per-enterprise state the deltas start from is compared where a sum differed, on closing, and where
        // parks start being maintained; otherwise the equal sums of every member already vouch for it.
        const checked =
          defects.length > 0 || completenessDefects > 0 || job.final
            ? target.parks
            : JSON.stringify(job.parks.filter((park) => !maintainedList.includes(park)));
        const stale =
          checked === '[]'
            ? { count: 0, sample: [] }
            : await this.rollups.repairInputs(tx, target, maintained, checked);
        steps.lap('repairInputs');
        if (completenessDefects + stale.count > 0)
          this.logger.error(
            {
              parkCode: job.parkCode,
              formId: form.formId,
              period,
              completenessDefects,
              staleInputs: stale.count,
              sample: stale.sample,
            },
            'DEFECT: incrementally maintained completeness or inputs differ from the recomputation; repaired',
          );
        await this.rollups.finishPending(tx, target);
        return this.publish(
          tx,
          job,
          { changed, oldInputs, defects: defects.length + completenessDefects + stale.count },
          steps,
          onProgress,
        );
      },
      { isolationLevel: IsolationLevel.READ_COMMITTED },
    );
    this.logRolledUp(job, result, 'locked', steps);
    return result;
  }

  /** The recomputation, staged in temporary tables: members, their rows and every dimension member's figures. */
  private async stage(
    em: EntityManager,
    job: RollupJobSpec,
    onProgress?: (percent: number) => Promise<void>,
  ): Promise<void> {
    const { form, period, target } = job;
    const p = parsePeriod(period, form.periodType);
    const end = periodBounds(p).end;
    const previous = job.month ? (previousMonthInYear(p)?.text ?? null) : null;
    const lastYear = sameMonthLastYear(p).text;
    await this.rollups.stageMembers(em, target, end);
    await this.rollups.stageRows(em, target, form, { month: job.month, previous, lastYear, end });
    await onProgress?.(30);
    await this.rollups.stageFigures(em);
    await onProgress?.(60);
  }

  /**
   * Provenance, cut-offs and events of a reconciled target: rollup_input becomes the recomputation's revisions,
   * aggregate.revised.v1 for each final figure that moved, aggregate.rolledup.v1 per park, and the run completed.
   */
  private async publish(
    em: EntityManager,
    job: RollupJobSpec,
    found: {
      changed: readonly ChangedFigure[];
      oldInputs: readonly (InputRow & { park_code: string })[];
      defects: number;
    },
    steps: StepTimes,
    onProgress?: (percent: number) => Promise<void>,
  ): Promise<RollupResult> {
    const { form, period, target } = job;
    const { changed, oldInputs } = found;
    await this.rollups.replaceInputs(em, target);
    const newInputs = changed.length === 0 ? [] : await this.rollups.inputs(em, target);
    steps.lap('provenance');
    await onProgress?.(85);

    const cutoffs = await this.rollups.cutoffs(em, target);
    // Only a figure already published as final is "revised"; provisional figures of an open period just update.
    const revisedEvents = cutoffs.flatMap((cutoff) =>
      this.revisedEvents(
        changed.filter((row) => row.old_final === true && row.park_code === cutoff.park_code),
        oldInputs.filter((i) => i.park_code === cutoff.park_code),
        newInputs.filter((i) => i.park_code === cutoff.park_code),
        { rollupId: job.rollupId, parkCode: cutoff.park_code, formId: form.formId, period },
      ),
    );
    const completedAt = this.clock.now().toISOString();
    // Parks without members or figures have nothing to announce when rolled up as part of "all".
    const announced = cutoffs.filter((cutoff) => job.parkCode !== 'all' || Number(cutoff.figures) > 0);
    await this.outbox.addAll(em, [
      ...revisedEvents.map((payload) => ({
        topic: 'aggregate.revised.v1' as const,
        key: payload.parkCode,
        payload,
        correlationId: job.rollupId,
      })),
      ...announced.map((cutoff) => ({
        topic: 'aggregate.rolledup.v1' as const,
        key: cutoff.park_code,
        correlationId: job.rollupId,
        payload: {
          rollupId: job.rollupId,
          parkCode: cutoff.park_code,
          formId: form.formId,
          period,
          trigger: job.trigger,
          cutoff: {
            filings: Number(cutoff.filings),
            lastVerdictAt: cutoff.last_validated_at ? new Date(cutoff.last_validated_at).toISOString() : null,
            factsHash: cutoff.facts_hash,
          },
          figures: Number(cutoff.figures),
          revisedFigures: revisedEvents.filter((r) => r.parkCode === cutoff.park_code).length,
          completedAt,
        },
      })),
    ]);
    const figures = cutoffs.reduce((sum, c) => sum + Number(c.figures), 0);
    const filings = cutoffs.reduce((sum, c) => sum + Number(c.filings), 0);
    const factsHash = job.parkCode === 'all' ? null : (cutoffs[0]?.facts_hash ?? null);
    const lastValidatedAt =
      cutoffs
        .map((c) => c.last_validated_at)
        .filter(Boolean)
        .sort()
        .pop() ?? null;
    await this.rollups.completeRun(em, job.rollupId, {
      figures,
      revisedFigures: revisedEvents.length,
      factsHash,
      filings,
      lastValidatedAt,
      defects: found.defects,
    });
    steps.lap('cutoff');
    return { rollupId: job.rollupId, figures, revisedFigures: revisedEvents.length, filings, final: job.final };
  }

  /** Where a slow roll-up spends its time (and whether it held the figures' locks), for operators and the bench. */
  private logRolledUp(job: RollupJobSpec, result: RollupResult, mode: 'snapshot' | 'locked', steps: StepTimes): void {
    this.logger.info(
      {
        parkCode: job.parkCode,
        formId: job.form.formId,
        period: job.period,
        figures: result.figures,
        revised: result.revisedFigures,
        mode,
        stepsMs: steps.times,
      },
      'rolled up',
    );
  }

  private revisedEvents(
    changed: readonly (FigureRow & { old_ytd: string | null; old_month: string | null })[],
    oldInputs: readonly InputRow[],
    newInputs: readonly InputRow[],
    at: { rollupId: string; parkCode: string; formId: FormId; period: string },
  ): AggregateRevised[] {
    const before = new Map(oldInputs.map((i) => [i.uscc, i]));
    const after = new Map(newInputs.map((i) => [i.uscc, i]));
    const movedInputs = [...new Set([...before.keys(), ...after.keys()])]
      .filter((uscc) => {
        const o = before.get(uscc);
        const n = after.get(uscc);
        return (
          !o ||
          !n ||
          o.filing_id !== n.filing_id ||
          o.revision !== n.revision ||
          o.verdict !== n.verdict ||
          JSON.stringify(o.members) !== JSON.stringify(n.members)
        );
      })
      .map((uscc) => (after.get(uscc) ?? before.get(uscc))!);
    const revisedAt = this.clock.now().toISOString();
    const events: AggregateRevised[] = [];
    for (const row of changed) {
      const causedBy = movedInputs
        .filter(
          (input) =>
            belongsTo(input, row.dimension, row.member) || belongsTo(before.get(input.uscc), row.dimension, row.member),
        )
        .map((input) => ({ uscc: input.uscc, filingId: input.filing_id, revision: input.revision }));
      for (const measure of ['ytd', 'month'] as const) {
        const oldValue = measure === 'ytd' ? row.old_ytd : row.old_month;
        const newValue = measure === 'ytd' ? row.ytd : row.month;
        if (oldValue === newValue) continue;
        events.push({
          ...at,
          dimension: row.dimension,
          member: row.member,
          indicator: row.indicator,
          measure,
          oldValue: normalize(oldValue),
          newValue: normalize(newValue),
          causedBy,
          revisedAt,
        });
      }
    }
    return events;
  }
}

/** Milliseconds per named step, each measured from the end of the previous one. */
class StepTimes {
  readonly times: Record<string, number> = {};
  private last = performance.now();

  lap(step: string): void {
    const now = performance.now();
    this.times[step] = Math.round(now - this.last);
    this.last = now;
  }
}

function parkCodes(): string[] {
  return zoneParks().map((park) => park.code);
}

function belongsTo(input: InputRow | undefined, dimension: string, member: string): boolean {
  const value = input?.members[dimension];
  return Array.isArray(value) ? value.includes(member) : value === member;
}

/** NUMERIC text as canonical decimal text ("1200.500" → "1200.5"). */
function normalize(value: string | null): string | null {
  if (value === null) return null;
  if (!value.includes('.')) return value;
  return value.replace(/0+$/, '').replace(/\.$/, '');
}
