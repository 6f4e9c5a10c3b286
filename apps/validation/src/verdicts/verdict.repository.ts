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

/** One accepted filing of the enterprise `e` for (form, period) parameters, as JSON; null when none. */
const ACCEPTED = `(SELECT jsonb_build_object('revision', a.revision, 'values', a."values") FROM accepted_filing a
                    WHERE a.uscc = e.uscc AND a.form_id = ?::text AND a.period = ?::text)`;

/** Transient: the registry event is on another topic and arrives soon; the partition waits, nothing is parked. */
export class RosterNotYetKnown extends TransientError {
  constructor(uscc: string) {
    super(`enterprise ${uscc} is not in validation's roster yet; waiting for registry.enterprise-changed.v1`);
  }
}

/** Validation's own state: verdicts, the latest accepted filing per period, and the roster copy. */
@Injectable()
export class VerdictRepository {
  async latestVerdict(em: EntityManager, filingId: string, revision: number): Promise<VerdictRow | undefined> {
    const [row] = await em.execute<VerdictRow[]>(
      'SELECT * FROM verdict WHERE filing_id = ? AND revision = ? ORDER BY verdict DESC LIMIT 1',
      [filingId, revision],
    );
    return row;
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

  async insertVerdict(
    em: EntityManager,
    row: Omit<VerdictRow, 'received_at'> & { reason: string; received_at: string; validated_at: string },
  ): Promise<void> {
    await em.execute(
      `INSERT INTO verdict (filing_id, revision, verdict, attempt, reason, uscc, form_id, form_version, rule_set_version, period, outcome, findings, "values", explanations, content_sha256, received_at, validated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?)`,
      [
        row.filing_id,
        row.revision,
        row.verdict,
        row.attempt,
        row.reason,
        row.uscc,
        row.form_id,
        row.form_version,
        row.rule_set_version,
        row.period,
        row.outcome,
        JSON.stringify(row.findings),
        JSON.stringify(row.values),
        JSON.stringify(row.explanations),
        row.content_sha256,
        row.received_at,
        row.validated_at,
      ],
    );
  }

  /**
   * Recomputes the accepted revision of one enterprise's period from the verdicts, by the platform's one
   * rule (libs/persistence). Order of arrival does not matter.
   */
  async refreshAccepted(em: EntityManager, uscc: string, formId: string, period: string): Promise<void> {
    await em.execute('DELETE FROM accepted_filing WHERE uscc = ? AND form_id = ? AND period = ?', [
      uscc,
      formId,
      period,
    ]);
    await em.execute(
      `INSERT INTO accepted_filing (uscc, form_id, period, filing_id, revision, "values")
       SELECT uscc, form_id, period, filing_id, revision, "values"
         FROM (${acceptedRevisionsSql('verdict', 'v.uscc = ? AND v.form_id = ? AND v.period = ?')}) accepted`,
      [uscc, formId, period],
    );
  }

  /**
   * The same context the dry run builds in intake, from validation's own projections, in one query:
   * the roster on the period's last day and the three accepted filings cross-period rules compare with.
   */
  async context(em: EntityManager, uscc: string, formId: FormId, period: string): Promise<EvaluationContext> {
    const references = referencesFor(formId, period);
    const accepted = (reference?: { formId: string; period: string }) => [
      reference?.formId ?? null,
      reference?.period ?? null,
    ];
    const [row] = await em.execute<
      {
        industry_code: string;
        in_scope: boolean;
        previous_month: Accepted | null;
        last_year: Accepted | null;
        other_form: Accepted | null;
      }[]
    >(
      `SELECT e.industry_code,
              EXISTS (SELECT 1 FROM roster_scope s WHERE s.uscc = e.uscc AND s.form_id = ? AND s.valid_from <= ?::date AND (s.valid_to IS NULL OR s.valid_to >= ?::date)) AS in_scope,
              ${ACCEPTED} AS previous_month, ${ACCEPTED} AS last_year, ${ACCEPTED} AS other_form
         FROM roster_enterprise e WHERE e.uscc = ?`,
      [
        formId,
        references.rosterDate,
        references.rosterDate,
        ...accepted(references.previousMonth),
        ...accepted(references.sameMonthLastYear),
        ...accepted(references.otherForm),
        uscc,
      ],
    );
    if (!row) throw new RosterNotYetKnown(uscc);
    const reference = (found: Accepted | null, at?: { period: string }) =>
      found && at ? { period: at.period, revision: found.revision, values: found.values } : undefined;
    const previousMonth = reference(row.previous_month, references.previousMonth);
    const sameMonthLastYear = reference(row.last_year, references.sameMonthLastYear);
    const otherForm = reference(row.other_form, references.otherForm);
    return {
      enterprise: { industryCode: row.industry_code, inScope: row.in_scope },
      ...(previousMonth ? { previousMonth } : {}),
      ...(sameMonthLastYear ? { sameMonthLastYear } : {}),
      ...(otherForm && references.otherForm
        ? { otherForm: { ...otherForm, formId: references.otherForm.formId } }
        : {}),
    };
  }
}
