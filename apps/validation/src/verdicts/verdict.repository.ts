import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { referencesFor, type EvaluationContext, type FormId, type ReferenceFiling } from '@huoju/domain';
import { rosterFactsOn } from '@huoju/persistence';

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

export class RosterNotYetKnown extends Error {
  constructor(uscc: string) {
    super(`enterprise ${uscc} is not in validation's roster yet; waiting for registry.enterprise-changed.v1`);
  }
}

/** Validation's own state: verdicts, the latest accepted filing per period, and the roster copy. */
@Injectable()
export class VerdictRepository {
  async latestVerdict(em: EntityManager, filingId: string, revision: number): Promise<VerdictRow | undefined> {
    const [row] = await em.execute<VerdictRow[]>('SELECT * FROM verdict WHERE filing_id = ? AND revision = ? ORDER BY verdict DESC LIMIT 1', [filingId, revision]);
    return row;
  }

  async insertVerdict(em: EntityManager, row: Omit<VerdictRow, 'received_at'> & { reason: string; received_at: string; validated_at: string }): Promise<void> {
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
   * Recomputes the latest accepted revision of one enterprise's period from the verdicts: the highest
   * revision whose newest verdict accepted it. Order of arrival does not matter.
   */
  async refreshAccepted(em: EntityManager, uscc: string, formId: string, period: string): Promise<void> {
    await em.execute('DELETE FROM accepted_filing WHERE uscc = ? AND form_id = ? AND period = ?', [uscc, formId, period]);
    await em.execute(
      `INSERT INTO accepted_filing (uscc, form_id, period, filing_id, revision, "values")
       SELECT uscc, form_id, period, filing_id, revision, "values" FROM (
         SELECT DISTINCT ON (revision) * FROM verdict WHERE uscc = ? AND form_id = ? AND period = ? ORDER BY revision DESC, verdict DESC
       ) newest WHERE outcome = 'accepted' ORDER BY revision DESC LIMIT 1`,
      [uscc, formId, period],
    );
  }

  async acceptedFiling(em: EntityManager, uscc: string, formId: string, period: string): Promise<ReferenceFiling | undefined> {
    const [row] = await em.execute<{ revision: number; values: Record<string, string> }[]>(
      'SELECT revision, "values" FROM accepted_filing WHERE uscc = ? AND form_id = ? AND period = ?',
      [uscc, formId, period],
    );
    return row ? { period, revision: row.revision, values: row.values } : undefined;
  }

  /** The same context the dry run builds in intake, from validation's own projections. */
  async context(em: EntityManager, uscc: string, formId: FormId, period: string): Promise<EvaluationContext> {
    const references = referencesFor(formId, period);
    const roster = await rosterFactsOn(em, uscc, formId, references.rosterDate);
    if (!roster) throw new RosterNotYetKnown(uscc);
    const [previousMonth, sameMonthLastYear, otherForm] = await Promise.all([
      references.previousMonth && this.acceptedFiling(em, uscc, references.previousMonth.formId, references.previousMonth.period),
      this.acceptedFiling(em, uscc, references.sameMonthLastYear.formId, references.sameMonthLastYear.period),
      references.otherForm && this.acceptedFiling(em, uscc, references.otherForm.formId, references.otherForm.period),
    ]);
    return {
      enterprise: { industryCode: roster.industryCode, inScope: roster.inScope },
      ...(previousMonth ? { previousMonth } : {}),
      ...(sameMonthLastYear ? { sameMonthLastYear } : {}),
      ...(otherForm && references.otherForm ? { otherForm: { ...otherForm, formId: references.otherForm.formId } } : {}),
    };
  }
}
