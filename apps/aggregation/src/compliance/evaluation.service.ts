import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { carrier, park } from '@huoju/domain';
import { CLOCK, type Clock } from '@huoju/platform';
import { COMPLIANCE_CONFIG, type ComplianceConfig } from './compliance.config';
import { evaluateRate, rate, ratesOf, type NoticeLevel } from './compliance-status';
import { previousPeriod, type PeriodDeadlines } from './deadline-calendar';
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

type UnitKind = 'park' | 'carrier';

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
      const [state] = await tx.execute<{ collected: boolean; evaluated_at: Date | string | null; outdated: boolean }[]>(
        `SELECT EXISTS (SELECT 1 FROM filing_state WHERE form_id = ? AND period = ?) AS collected,
                r.evaluated_at,
                EXISTS (SELECT 1 FROM filing_state fs
                         WHERE fs.form_id = r.form_id AND fs.period = r.period AND fs.accepted_revision IS NOT NULL
                           AND fs.first_received_at <= ? AND fs.accepted_validated_at > r.evaluated_at) AS outdated
           FROM (SELECT 1) one
           LEFT JOIN compliance_evaluation_run r ON r.form_id = ? AND r.period = ?`,
        [deadlines.formId, deadlines.period, graceEndsAt, deadlines.formId, deadlines.period],
      );
      if (!state?.collected) return false;
      if (state.evaluated_at === null) {
        const claimed = await tx.execute<{ period: string }[]>(
          `INSERT INTO compliance_evaluation_run (form_id, period, threshold, evaluated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING period`,
          [deadlines.formId, deadlines.period, this.config.COMPLIANCE_NOTICE_THRESHOLD, now.toISOString()],
        );
        if (claimed.length === 0) return false;
      } else {
        if (!state.outdated && !force) return false;
        // Only the instance whose update still sees the recording it read goes on (another may have just redone it).
        const reclaimed = await tx.execute<{ period: string }[]>(
          `UPDATE compliance_evaluation_run SET threshold = ?, evaluated_at = ?
            WHERE form_id = ? AND period = ? AND evaluated_at = ? RETURNING period`,
          [
            this.config.COMPLIANCE_NOTICE_THRESHOLD,
            now.toISOString(),
            deadlines.formId,
            deadlines.period,
            new Date(state.evaluated_at).toISOString(),
          ],
        );
        if (reclaimed.length === 0) return false;
        await tx.execute('DELETE FROM compliance_evaluation WHERE form_id = ? AND period = ?', [
          deadlines.formId,
          deadlines.period,
        ]);
      }
      const previous = await tx.execute<{ unit_kind: UnitKind; unit_code: string; consecutive_below: number }[]>(
        'SELECT unit_kind, unit_code, consecutive_below FROM compliance_evaluation WHERE form_id = ? AND period = ? AND below',
        [deadlines.formId, previousPeriod(deadlines.formId, deadlines.period)],
      );
      const streak = new Map(previous.map((row) => [`${row.unit_kind}|${row.unit_code}`, row.consecutive_below]));
      const units = [
        ...this.units('park', await this.expectations.counts(tx, [deadlines], {}, now, 'park'), streak, true),
        ...this.units('carrier', await this.expectations.counts(tx, [deadlines], {}, now, 'carrier'), streak, true),
      ];
      if (units.length > 0) {
        await tx.execute(
          `INSERT INTO compliance_evaluation (form_id, period, unit_kind, unit_code, park_code, expected, filed, filed_on_time, filing_rate, on_time_rate, below, consecutive_below, notice)
           SELECT ?, ?, unit_kind, unit_code, park_code, expected, filed, filed_on_time, filing_rate, on_time_rate, below, consecutive_below, notice
             FROM jsonb_to_recordset(?::jsonb) AS u(unit_kind text, unit_code text, park_code text, expected int, filed int, filed_on_time int,
                  filing_rate numeric, on_time_rate numeric, below boolean, consecutive_below int, notice text)`,
          [
            deadlines.formId,
            deadlines.period,
            JSON.stringify(
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
            ),
          ],
        );
      }
      return true;
    });
  }

  /** The recorded evaluation of a period, or the live rates (no notices) while it is not recorded. */
  async read(deadlines: PeriodDeadlines): Promise<Evaluation> {
    const em = this.orm.em.fork();
    const [run] = await em.execute<{ threshold: string; evaluated_at: Date }[]>(
      'SELECT threshold::text, evaluated_at FROM compliance_evaluation_run WHERE form_id = ? AND period = ?',
      [deadlines.formId, deadlines.period],
    );
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
    const rows = await em.execute<
      {
        unit_kind: UnitKind;
        unit_code: string;
        park_code: string;
        expected: number;
        filed: number;
        filed_on_time: number;
        filing_rate: string | null;
        on_time_rate: string | null;
        below: boolean;
        consecutive_below: number;
        notice: NoticeLevel | null;
      }[]
    >('SELECT * FROM compliance_evaluation WHERE form_id = ? AND period = ? ORDER BY unit_kind, unit_code', [
      deadlines.formId,
      deadlines.period,
    ]);
    const unitOf = (row: (typeof rows)[number]): EvaluatedUnit => ({
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
