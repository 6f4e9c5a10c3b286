import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { NoticeLevel } from './compliance-status';

export type UnitKind = 'park' | 'carrier';

export interface FormPeriod {
  readonly formId: string;
  readonly period: string;
}

export interface EvaluationRow {
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
}

/** `compliance_evaluation_run` (one claim per form and period) and the evaluated units of each (EvaluationService). */
@Injectable()
export class EvaluationRepository {
  /**
   * Whether anybody filed for the period, when it was recorded (null: not yet), and whether an accepted
   * filing first received by the end of grace was applied after that recording (then it must be redone).
   */
  async recordingState(
    tx: EntityManager,
    { formId, period }: FormPeriod,
    graceEndsAt: string,
  ): Promise<{ collected: boolean; evaluatedAt: Date | null; outdated: boolean }> {
    const [state] = await tx.execute<{ collected: boolean; evaluated_at: Date | string | null; outdated: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM filing_state WHERE form_id = ? AND period = ?) AS collected,
              r.evaluated_at,
              EXISTS (SELECT 1 FROM filing_state fs
                       WHERE fs.form_id = r.form_id AND fs.period = r.period AND fs.accepted_revision IS NOT NULL
                         AND fs.first_received_at <= ? AND fs.accepted_validated_at > r.evaluated_at) AS outdated
         FROM (SELECT 1) one
         LEFT JOIN compliance_evaluation_run r ON r.form_id = ? AND r.period = ?`,
      [formId, period, graceEndsAt, formId, period],
    );
    return {
      collected: state?.collected === true,
      evaluatedAt: state?.evaluated_at ? new Date(state.evaluated_at) : null,
      outdated: state?.outdated === true,
    };
  }

  /**
   * Takes a recorded period's claim again, dropping its units; false when another instance redid it since
   * `recordedAt` (only the update that still sees the recording it read goes on).
   */
  async reclaimRun(
    tx: EntityManager,
    { formId, period }: FormPeriod,
    threshold: string,
    at: Date,
    recordedAt: Date,
  ): Promise<boolean> {
    const reclaimed = await tx.execute<{ period: string }[]>(
      `UPDATE compliance_evaluation_run SET threshold = ?, evaluated_at = ?
        WHERE form_id = ? AND period = ? AND evaluated_at = ? RETURNING period`,
      [threshold, at.toISOString(), formId, period, recordedAt.toISOString()],
    );
    if (reclaimed.length === 0) return false;
    await tx.execute('DELETE FROM compliance_evaluation WHERE form_id = ? AND period = ?', [formId, period]);
    return true;
  }

  /** Takes the period's claim row; false when another sweep took it first. */
  async claimRun(tx: EntityManager, { formId, period }: FormPeriod, threshold: string, at: Date): Promise<boolean> {
    const claimed = await tx.execute<{ period: string }[]>(
      `INSERT INTO compliance_evaluation_run (form_id, period, threshold, evaluated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING period`,
      [formId, period, threshold, at.toISOString()],
    );
    return claimed.length > 0;
  }

  async run(
    em: EntityManager,
    { formId, period }: FormPeriod,
  ): Promise<{ threshold: string; evaluated_at: Date } | undefined> {
    const [run] = await em.execute<{ threshold: string; evaluated_at: Date }[]>(
      'SELECT threshold::text, evaluated_at FROM compliance_evaluation_run WHERE form_id = ? AND period = ?',
      [formId, period],
    );
    return run;
  }

  /** `kind|code` → consecutive periods below the threshold, of the units below it in that period. */
  async streaks(tx: EntityManager, { formId, period }: FormPeriod): Promise<Map<string, number>> {
    const rows = await tx.execute<{ unit_kind: UnitKind; unit_code: string; consecutive_below: number }[]>(
      'SELECT unit_kind, unit_code, consecutive_below FROM compliance_evaluation WHERE form_id = ? AND period = ? AND below',
      [formId, period],
    );
    return new Map(rows.map((row) => [`${row.unit_kind}|${row.unit_code}`, row.consecutive_below]));
  }

  async insertUnits(tx: EntityManager, { formId, period }: FormPeriod, units: readonly EvaluationRow[]): Promise<void> {
    if (units.length === 0) return;
    await tx.execute(
      `INSERT INTO compliance_evaluation (form_id, period, unit_kind, unit_code, park_code, expected, filed, filed_on_time, filing_rate, on_time_rate, below, consecutive_below, notice)
       SELECT ?, ?, unit_kind, unit_code, park_code, expected, filed, filed_on_time, filing_rate, on_time_rate, below, consecutive_below, notice
         FROM jsonb_to_recordset(?::jsonb) AS u(unit_kind text, unit_code text, park_code text, expected int, filed int, filed_on_time int,
              filing_rate numeric, on_time_rate numeric, below boolean, consecutive_below int, notice text)`,
      [formId, period, JSON.stringify(units)],
    );
  }

  async units(em: EntityManager, { formId, period }: FormPeriod): Promise<EvaluationRow[]> {
    return em.execute<EvaluationRow[]>(
      'SELECT * FROM compliance_evaluation WHERE form_id = ? AND period = ? ORDER BY unit_kind, unit_code',
      [formId, period],
    );
  }
}
