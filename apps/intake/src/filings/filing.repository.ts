import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Explanation, Finding, ReferenceFiling } from '@huoju/domain';

export type FilingStatus = 'received' | 'validating' | 'accepted' | 'needs-explanation' | 'rejected' | 'returned';

export interface RevisionRow {
  filing_id: string;
  revision: number;
  attempt: number;
  form_version: string;
  rule_set_version: string;
  values: Record<string, string>;
  explanations: Explanation[];
  content_sha256: string;
  idempotency_key: string | null;
  submitted_by: string;
  received_at: string | Date;
  status: FilingStatus;
  outcome: 'accepted' | 'needs-explanation' | 'rejected' | null;
  verdict: number;
  findings: Finding[];
  validated_at: string | Date | null;
  returned_comment: string | null;
  returned_by: string | null;
  returned_at: string | Date | null;
}

export interface FilingRow {
  id: string;
  uscc: string;
  form_id: string;
  period: string;
  current_revision: number;
  status: FilingStatus;
  created_at: string | Date;
  updated_at: string | Date;
}

/** SQL for filings and their revisions; the newest revision is the filing's current one. */
@Injectable()
export class FilingRepository {
  /** Creates the filing or opens its next revision, atomically; returns the filing id and the new revision. */
  async nextRevision(
    em: EntityManager,
    id: string,
    uscc: string,
    formId: string,
    period: string,
  ): Promise<{ id: string; revision: number }> {
    const [row] = await em.execute<{ id: string; current_revision: number }[]>(
      `INSERT INTO filing (id, uscc, form_id, period, current_revision, status) VALUES (?, ?, ?, ?, 1, 'received')
       ON CONFLICT (uscc, form_id, period) DO UPDATE SET current_revision = filing.current_revision + 1, status = 'received', updated_at = now()
       RETURNING id, current_revision`,
      [id, uscc, formId, period],
    );
    return { id: row!.id, revision: row!.current_revision };
  }

  async insertRevision(
    em: EntityManager,
    row: Omit<
      RevisionRow,
      | 'outcome'
      | 'verdict'
      | 'findings'
      | 'validated_at'
      | 'returned_comment'
      | 'returned_by'
      | 'returned_at'
      | 'status'
    >,
  ): Promise<void> {
    await em.execute(
      `INSERT INTO filing_revision (filing_id, revision, attempt, form_version, rule_set_version, "values", explanations, content_sha256, idempotency_key, submitted_by, received_at, status)
       VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, 'received')`,
      [
        row.filing_id,
        row.revision,
        row.attempt,
        row.form_version,
        row.rule_set_version,
        JSON.stringify(row.values),
        JSON.stringify(row.explanations),
        row.content_sha256,
        row.idempotency_key,
        row.submitted_by,
        row.received_at,
      ],
    );
  }

  async filing(em: EntityManager, id: string, lock = false): Promise<FilingRow | undefined> {
    const [row] = await em.execute<FilingRow[]>(`SELECT * FROM filing WHERE id = ?${lock ? ' FOR UPDATE' : ''}`, [id]);
    return row;
  }

  async revision(em: EntityManager, filingId: string, revision: number): Promise<RevisionRow | undefined> {
    const [row] = await em.execute<RevisionRow[]>(
      'SELECT * FROM filing_revision WHERE filing_id = ? AND revision = ?',
      [filingId, revision],
    );
    return row;
  }

  async revisions(em: EntityManager, filingId: string): Promise<RevisionRow[]> {
    return em.execute<RevisionRow[]>('SELECT * FROM filing_revision WHERE filing_id = ? ORDER BY revision', [filingId]);
  }

  /** The newest accepted revision of an enterprise's filing for a period (what cross-period rules compare with). */
  async latestAccepted(
    em: EntityManager,
    uscc: string,
    formId: string,
    period: string,
  ): Promise<ReferenceFiling | undefined> {
    const [row] = await em.execute<{ revision: number; values: Record<string, string> }[]>(
      `SELECT r.revision, r."values" FROM filing f JOIN filing_revision r ON r.filing_id = f.id
        WHERE f.uscc = ? AND f.form_id = ? AND f.period = ? AND r.outcome = 'accepted'
        ORDER BY r.revision DESC LIMIT 1`,
      [uscc, formId, period],
    );
    return row ? { period, revision: row.revision, values: row.values } : undefined;
  }
}

/** Timestamps come back from the driver as text or Date depending on the path; receipts always show ISO-8601 UTC. */
export function iso(value: string | Date): string {
  return new Date(value).toISOString();
}

/** The last day of a filing's period ('2026-09' → 2026-09-30, '2026' → 2026-12-31), in SQL over filing f. */
const PERIOD_END_SQL = `(CASE WHEN length(f.period) = 4 THEN (f.period || '-12-31')::date
  ELSE ((f.period || '-01')::date + interval '1 month' - interval '1 day')::date END)`;

/** The scope filter over `filing f` (one jsonb parameter: the codes), by the links valid on the period's last day. */
export function filingInScopeSql(kind: 'uscc' | 'street' | 'park'): string {
  switch (kind) {
    case 'uscc':
      return 'f.uscc IN (SELECT jsonb_array_elements_text(?::jsonb))';
    case 'park':
      return `EXISTS (SELECT 1 FROM enterprise_membership m WHERE m.uscc = f.uscc AND m.valid_from <= ${PERIOD_END_SQL}
        AND (m.valid_to IS NULL OR m.valid_to >= ${PERIOD_END_SQL}) AND m.park_code IN (SELECT jsonb_array_elements_text(?::jsonb)))`;
    case 'street':
      return `EXISTS (SELECT 1 FROM enterprise_street s WHERE s.uscc = f.uscc AND s.valid_from <= ${PERIOD_END_SQL}
        AND (s.valid_to IS NULL OR s.valid_to >= ${PERIOD_END_SQL}) AND s.street_code IN (SELECT jsonb_array_elements_text(?::jsonb)))`;
  }
}

/** Whether an enterprise (parameter 1) was ever linked to one of the codes (parameter 2, jsonb), at any date. */
export function everInScopeSql(kind: 'street' | 'park'): string {
  return kind === 'park'
    ? 'SELECT 1 FROM enterprise_membership WHERE uscc = ? AND park_code IN (SELECT jsonb_array_elements_text(?::jsonb)) LIMIT 1'
    : 'SELECT 1 FROM enterprise_street WHERE uscc = ? AND street_code IN (SELECT jsonb_array_elements_text(?::jsonb)) LIMIT 1';
}
