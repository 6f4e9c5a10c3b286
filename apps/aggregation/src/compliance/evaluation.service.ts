import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { carrier, park } from '@huoju/domain';
import { CLOCK, type Clock } from '@huoju/platform';
import { COMPLIANCE_CONFIG, type ComplianceConfig } from './compliance.config';
import { evaluateRate, rate, ratesOf, type NoticeLevel } from './compliance-status';
import { previousPeriod, type PeriodDeadlines } from './deadline-calendar';
import { EvaluationRepository, type EvaluationRow, type UnitKind } from './evaluation.repository';
import { ExpectationsRepository, type CountRow } from './expectations.repository';

export interface EvaluatedUnit {
  readonly code: string;
  readonly nameZh: string | null;
  readonly parkCode: string;
  readonly expected: number;
  readonly filed: number;
  readonly filedOnTime: number;
  readonly filingRate: string | null;
  readonly onTimeRate: string | null;
  readonly below: boolean;
  readonly consecutivePeriodsBelow: number;
  readonly notice: NoticeLevel | null;
}

export interface Evaluation {
  readonly formId: string;
  readonly period: string;
  readonly threshold: string;
  /** True once the grace period ended and the evaluation was recorded; before that the rates are live and carry no notice. */
  readonly recorded: boolean;
  readonly evaluatedAt: string | null;
  readonly dueOn: string;
  readonly graceEndsOn: string;
  readonly locksOn: string;
  readonly parks: readonly EvaluatedUnit[];
  readonly carriers: readonly EvaluatedUnit[];
}

/**
 * Park evaluation support: filing rates per park and carrier per period, recorded once when the grace
 * period ends, with the units below the threshold in consecutive periods (一次通报、两次摘牌). The recorded
 * rate counts accepted filings first received by the end of the grace period.
 */
@Injectable()
export class EvaluationService {
  constructor(
    private readonly orm: MikroORM,
    private readonly expectations: ExpectationsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMPLIANCE_CONFIG) private readonly config: ComplianceConfig,
    private readonly evaluations: EvaluationRepository,
  ) {}

  /**
   * Records a closed period's evaluation, and records it again when an accepted filing first received by the
   * end of grace was applied only after the recording (the pipeline was behind, or a demo loaded its past):
   * such a filing counts, so the recorded rates must include it. `force` records again regardless (a later
   * period's streak reads this one's). Periods nobody filed for at all are skipped: the platform was not
   * collecting them, and noticing every park for them would be wrong. Returns whether it (re)recorded.
   */
  async evaluate(deadlines: PeriodDeadlines, force = false): Promise<boolean> {
    const now = this.clock.now();
    if (now < deadlines.overdueAt) return false;
    const graceEndsAt = deadlines.schedule.graceEndsAt.toISOString();
    return this.orm.em.fork().transactional(async (tx) => {
      const state = await this.evaluations.recordingState(tx, deadlines, graceEndsAt);
      if (!state.collected) return false;
      const threshold = this.config.COMPLIANCE_NOTICE_THRESHOLD;
      if (state.evaluatedAt === null) {
        if (!(await this.evaluations.claimRun(tx, deadlines, threshold, now))) return false;
      } else {
        if (!state.outdated && !force) return false;
        if (!(await this.evaluations.reclaimRun(tx, deadlines, threshold, now, state.evaluatedAt))) return false;
      }
      const streak = await this.evaluations.streaks(tx, {
        formId: deadlines.formId,
        period: previousPeriod(deadlines.formId, deadlines.period),
      });
      const units = [
        ...this.units('park', await this.expectations.counts(tx, [deadlines], {}, now, 'park'), streak, true),
        ...this.units('carrier', await this.expectations.counts(tx, [deadlines], {}, now, 'carrier'), streak, true),
      ];
      await this.evaluations.insertUnits(
        tx,
        deadlines,
        units.map(({ kind, unit }) => ({
          unit_kind: kind,
          unit_code: unit.code,
          park_code: unit.parkCode,
          expected: unit.expected,
          filed: unit.filed,
          filed_on_time: unit.filedOnTime,
          filing_rate: unit.filingRate,
          on_time_rate: unit.onTimeRate,
          below: unit.below,
          consecutive_below: unit.consecutivePeriodsBelow,
          notice: unit.notice,
        })),
      );
      return true;
    });
  }

  /** The recorded evaluation of a period, or the live rates (no notices) while it is not recorded. */
  async read(deadlines: PeriodDeadlines): Promise<Evaluation> {
    const em = this.orm.em.fork();
    const run = await this.evaluations.run(em, deadlines);
    const calendar = {
      dueOn: deadlines.schedule.dueOn,
      graceEndsOn: deadlines.schedule.graceEndsOn,
      locksOn: deadlines.schedule.locksOn,
    };
    if (!run) {
      const now = this.clock.now();
      const live = new Map<string, number>();
      return {
        formId: deadlines.formId,
        period: deadlines.period,
        threshold: this.config.COMPLIANCE_NOTICE_THRESHOLD,
        recorded: false,
        evaluatedAt: null,
        ...calendar,
        parks: this.units('park', await this.expectations.counts(em, [deadlines], {}, now, 'park'), live, false).map(
          (u) => u.unit,
        ),
        carriers: this.units(
          'carrier',
          await this.expectations.counts(em, [deadlines], {}, now, 'carrier'),
          live,
          false,
        ).map((u) => u.unit),
      };
    }
    const rows = await this.evaluations.units(em, deadlines);
    const unitOf = (row: EvaluationRow): EvaluatedUnit => ({
      code: row.unit_code,
      nameZh:
        row.unit_kind === 'park' ? (park(row.unit_code)?.nameZh ?? null) : (carrier(row.unit_code)?.nameZh ?? null),
      parkCode: row.park_code,
      expected: row.expected,
      filed: row.filed,
      filedOnTime: row.filed_on_time,
      filingRate: row.filing_rate === null ? null : rate(row.filed, row.expected),
      onTimeRate: row.on_time_rate === null ? null : rate(row.filed_on_time, row.expected),
      below: row.below,
      consecutivePeriodsBelow: row.consecutive_below,
      notice: row.notice,
    });
    return {
      formId: deadlines.formId,
      period: deadlines.period,
      threshold: normalizeThreshold(run.threshold),
      recorded: true,
      evaluatedAt: new Date(run.evaluated_at).toISOString(),
      ...calendar,
      parks: rows.filter((row) => row.unit_kind === 'park').map(unitOf),
      carriers: rows.filter((row) => row.unit_kind === 'carrier').map(unitOf),
    };
  }

  /** Rates and notices per unit; recorded evaluations count filings by the grace end, live ones every accepted filing so far. */
  private units(
    kind: UnitKind,
    counts: readonly CountRow[],
    streak: ReadonlyMap<string, number>,
    recording: boolean,
  ): { kind: UnitKind; unit: EvaluatedUnit }[] {
    return counts.map((row) => {
      const rates = ratesOf(row.counts);
      const filed = recording ? row.filedByGraceEnd : rates.filed;
      const outcome = evaluateRate(
        filed,
        rates.expected,
        this.config.COMPLIANCE_NOTICE_THRESHOLD,
        streak.get(`${kind}|${row.key}`) ?? 0,
      );
      return {
        kind,
        unit: {
          code: row.key,
          nameZh: kind === 'park' ? (park(row.key)?.nameZh ?? null) : (carrier(row.key)?.nameZh ?? null),
          parkCode: row.parkCode ?? row.key,
          expected: rates.expected,
          filed,
          filedOnTime: rates.filedOnTime,
          filingRate: rate(filed, rates.expected),
          onTimeRate: rates.onTimeRate,
          below: outcome.below,
          // Live rates can still change: streaks and notices exist only for recorded evaluations.
          consecutivePeriodsBelow: recording ? outcome.consecutiveBelow : 0,
          notice: recording ? outcome.notice : null,
        },
      };
    });
  }
}

function normalizeThreshold(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}
