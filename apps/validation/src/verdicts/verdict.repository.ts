import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { referencesFor, type EvaluationContext, type FormId } from '@huoju/domain';
import { TransientError } from '@huoju/messaging';
import { acceptedRevisionsSql } from '@huoju/persistence';

export interface VerdictRow {
  filing_id: string;
  revision: number;
  verdict: number;
  attempt: number;
  uscc: string;
  form_id: FormId;
  form_version: string;
  rule_set_version: string;
  period: string;
  outcome: 'accepted' | 'needs-explanation' | 'rejected';
  findings: unknown[];
  values: Record<string, string>;
  explanations: { ruleCode: string; indicator?: string; reasonCode: string; text: string }[];
  content_sha256: string;
  received_at: string;
}

interface Accepted {
  revision: number;
  values: Record<string, string>;
}

/** One accepted filing of the enterprise `e` for a key's reference (form, period) columns, as JSON; null when none. */
const accepted = (form: string, period: string) =>
  `(SELECT jsonb_build_object('revision', a.revision, 'values', a."values") FROM accepted_filing a
     WHERE a.uscc = e.uscc AND a.form_id = k.${form} AND a.period = k.${period})`;

/** Which filing a verdict judges. */
export interface RevisionKey {
  readonly filingId: string;
  readonly revision: number;
}

/** An enterprise's period of a form: what a context is built for and what an accepted revision is kept per. */
export interface PeriodKey {
  readonly uscc: string;
  readonly formId: FormId;
  readonly period: string;
}

export type NewVerdictRow = Omit<VerdictRow, 'received_at'> & {
  reason: string;
  received_at: string;
  validated_at: string;
};

/** Transient: the registry event is on another topic and arrives soon; the partition waits, nothing is parked. */
export class RosterNotYetKnown extends TransientError {
  constructor(uscc: string) {
    super(`enterprise ${uscc} is not in validation's roster yet; waiting for registry.enterprise-changed.v1`);
  }
}

/** Validation's own state: verdicts, the latest accepted filing per period, and the roster copy. */
@Injectable()
export class VerdictRepository {
  /** The newest verdict of each revision, by `revisionKey`; revisions without one are absent. */
  async latestVerdicts(em: EntityManager, revisions: readonly RevisionKey[]): Promise<Map<string, VerdictRow>> {
    if (revisions.length === 0) return new Map();
    const rows = await em.execute<VerdictRow[]>(
      `SELECT DISTINCT ON (v.filing_id, v.revision) v.*
         FROM jsonb_to_recordset(?::jsonb) AS k(filing_id uuid, revision int)
         JOIN verdict v USING (filing_id, revision)
        ORDER BY v.filing_id, v.revision, v.verdict DESC`,
      [JSON.stringify(revisions.map((r) => ({ filing_id: r.filingId, revision: r.revision })))],
    );
    return new Map(rows.map((row) => [revisionKey({ filingId: row.filing_id, revision: row.revision }), row]));
  }

  /** The periods that have verdicts of a form version. */
  async periodsJudged(em: EntityManager, formId: string, formVersion: string): Promise<string[]> {
    const rows = await em.execute<{ period: string }[]>(
      'SELECT DISTINCT period FROM verdict WHERE form_id = ? AND form_version = ?',
      [formId, formVersion],
    );
    return rows.map((row) => row.period);
  }

  /** Each filing's newest verdict on its newest revision, for one form version and period. */
  async latestPerFiling(em: EntityManager, formId: string, formVersion: string, period: string): Promise<VerdictRow[]> {
    return em.execute<VerdictRow[]>(
      `SELECT DISTINCT ON (filing_id) * FROM verdict WHERE form_id = ? AND form_version = ? AND period = ? ORDER BY filing_id, revision DESC, verdict DESC`,
      [formId, formVersion, period],
    );
  }

  async insertVerdicts(em: EntityManager, rows: readonly NewVerdictRow[]): Promise<void> {
    if (rows.length === 0) return;
    await em.execute(
      `INSERT INTO verdict (filing_id, revision, verdict, attempt, reason, uscc, form_id, form_version, rule_set_version, period, outcome, findings, "values", explanations, content_sha256, received_at, validated_at)
       SELECT filing_id, revision, verdict, attempt, reason, uscc, form_id, form_version, rule_set_version, period, outcome, findings, "values", explanations, content_sha256, received_at, validated_at
         FROM jsonb_to_recordset(?::jsonb) AS v(filing_id uuid, revision int, verdict int, attempt int, reason text, uscc text, form_id text,
              form_version text, rule_set_version text, period text, outcome text, findings jsonb, "values" jsonb, explanations jsonb,
              content_sha256 text, received_at timestamptz, validated_at timestamptz)`,
      [JSON.stringify(rows)],
    );
  }

  /**
   * Recomputes the accepted revision of these enterprises' periods from the verdicts, by the platform's one
   * rule (libs/persistence). Order of arrival does not matter.
   */
  async refreshAccepted(em: EntityManager, keys: readonly PeriodKey[]): Promise<void> {
    if (keys.length === 0) return;
    const keysJson = periodKeysJson(keys);
    await em.execute(
      `DELETE FROM accepted_filing a USING jsonb_to_recordset(?::jsonb) AS k(uscc text, form_id text, period text)
        WHERE a.uscc = k.uscc AND a.form_id = k.form_id AND a.period = k.period`,
      [keysJson],
    );
    const verdictsOfKeys = `(SELECT v.* FROM (SELECT DISTINCT * FROM jsonb_to_recordset(?::jsonb) AS k(uscc text, form_id text, period text)) k
                               JOIN verdict v USING (uscc, form_id, period))`;
    await em.execute(
      `INSERT INTO accepted_filing (uscc, form_id, period, filing_id, revision, "values")
       SELECT uscc, form_id, period, filing_id, revision, "values" FROM (${acceptedRevisionsSql(verdictsOfKeys)}) accepted`,
      [keysJson],
    );
  }

  /**
   * The same context the dry run builds in intake, from validation's own projections, for many filings in
   * one query: the roster on the period's last day and the three accepted filings cross-period rules compare
   * with. In the keys' order; an enterprise validation's roster does not know yet is a transient fault.
   */
  async contexts(em: EntityManager, keys: readonly PeriodKey[]): Promise<EvaluationContext[]> {
    if (keys.length === 0) return [];
    const references = keys.map((key) => referencesFor(key.formId, key.period));
    const rows = await em.execute<
      {
        i: number;
        industry_code: string;
        in_scope: boolean;
        previous_month: Accepted | null;
        last_year: Accepted | null;
        other_form: Accepted | null;
      }[]
    >(
      `SELECT k.i, e.industry_code,
              EXISTS (SELECT 1 FROM roster_scope s WHERE s.uscc = e.uscc AND s.form_id = k.form_id AND s.valid_from <= k.roster_date AND (s.valid_to IS NULL OR s.valid_to >= k.roster_date)) AS in_scope,
              ${accepted('pm_form', 'pm_period')} AS previous_month, ${accepted('ly_form', 'ly_period')} AS last_year,
              ${accepted('of_form', 'of_period')} AS other_form
         FROM jsonb_to_recordset(?::jsonb) AS k(i int, uscc text, form_id text, roster_date date, pm_form text, pm_period text,
              ly_form text, ly_period text, of_form text, of_period text)
         JOIN roster_enterprise e ON e.uscc = k.uscc`,
      [
        JSON.stringify(
          keys.map((key, i) => ({
            i,
            uscc: key.uscc,
            form_id: key.formId,
            roster_date: references[i]!.rosterDate,
            pm_form: references[i]!.previousMonth?.formId ?? null,
            pm_period: references[i]!.previousMonth?.period ?? null,
            ly_form: references[i]!.sameMonthLastYear?.formId ?? null,
            ly_period: references[i]!.sameMonthLastYear?.period ?? null,
            of_form: references[i]!.otherForm?.formId ?? null,
            of_period: references[i]!.otherForm?.period ?? null,
          })),
        ),
      ],
    );
    const byIndex = new Map(rows.map((row) => [row.i, row]));
    return keys.map((key, i) => {
      const row = byIndex.get(i);
      if (!row) throw new RosterNotYetKnown(key.uscc);
      const refs = references[i]!;
      const reference = (found: Accepted | null, at?: { period: string }) =>
        found && at ? { period: at.period, revision: found.revision, values: found.values } : undefined;
      const previousMonth = reference(row.previous_month, refs.previousMonth);
      const sameMonthLastYear = reference(row.last_year, refs.sameMonthLastYear);
      const otherForm = reference(row.other_form, refs.otherForm);
      return {
        enterprise: { industryCode: row.industry_code, inScope: row.in_scope },
        ...(previousMonth ? { previousMonth } : {}),
        ...(sameMonthLastYear ? { sameMonthLastYear } : {}),
        ...(otherForm && refs.otherForm ? { otherForm: { ...otherForm, formId: refs.otherForm.formId } } : {}),
      };
    });
  }
}

export function revisionKey(key: RevisionKey): string {
  return `${key.filingId}|${key.revision}`;
}

function periodKeysJson(keys: readonly PeriodKey[]): string {
  return JSON.stringify(keys.map((k) => ({ uscc: k.uscc, form_id: k.formId, period: k.period })));
}
