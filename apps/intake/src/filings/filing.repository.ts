import { Injectable } from '@nestjs/common';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { ReferenceFiling } from '@huoju/domain';
import { acceptedRevisionsSql } from '@huoju/persistence';
import type { ScopeFilter } from '@huoju/platform';
import { nextStatus, type FilingStatus } from './filing-status';
import { Filing, FilingRevision } from './filing.entity';

export type { FilingStatus } from './filing-status';

/** What the filings list may be narrowed by (the contract has checked each). */
export interface FilingListFilter {
  readonly formId?: string;
  readonly period?: string;
  readonly status?: string;
  readonly uscc?: string;
}

/** What a new revision carries; the rest (status, verdict, findings, return) starts empty. */
export type NewRevision = Pick<
  FilingRevision,
  | 'attempt'
  | 'formVersion'
  | 'ruleSetVersion'
  | 'values'
  | 'explanations'
  | 'contentSha256'
  | 'idempotencyKey'
  | 'submittedBy'
  | 'receivedAt'
>;

/** A row of the filings list (the list's SQL reads the table directly). */
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

/** Revisions as the accepted-revision rule reads them (a revision not yet validated has verdict 0, no outcome). */
const REVISION_VERDICTS = `(SELECT f.uscc, f.form_id, f.period, r.revision, r.verdict, r.outcome, r."values"
                              FROM filing f JOIN filing_revision r ON r.filing_id = f.id)`;

const SUBMITTED = nextStatus(null, { kind: 'submitted' })!;

/**
 * Filings and their revisions: one filing and its revisions as entities through the unit of work, and SQL
 * where it is set-based or hot (the one-statement new revision, the list, the scope checks). The newest
 * revision is the filing's current one.
 */
@Injectable()
export class FilingRepository {
  /**
   * The enterprise's filing of (form, period) — created with `id` when it is the first — gets its next
   * revision, in one statement (a round trip per filing is a measurable share of intake's CPU).
   */
  async addRevision(
    em: EntityManager,
    filing: { id: string; uscc: string; formId: string; period: string },
    row: NewRevision,
  ): Promise<{ id: string; revision: number }> {
    const [added] = await em.execute<{ filing_id: string; revision: number }[]>(
      `WITH f AS (
         INSERT INTO filing (id, uscc, form_id, period, current_revision, status) VALUES (?, ?, ?, ?, 1, ?)
         ON CONFLICT (uscc, form_id, period) DO UPDATE SET current_revision = filing.current_revision + 1, status = excluded.status, updated_at = now()
         RETURNING id, current_revision
       )
       INSERT INTO filing_revision (filing_id, revision, attempt, form_version, rule_set_version, "values", explanations, content_sha256, idempotency_key, submitted_by, received_at, status)
       SELECT f.id, f.current_revision, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ? FROM f
       RETURNING filing_id, revision`,
      [
        filing.id,
        filing.uscc,
        filing.formId,
        filing.period,
        SUBMITTED,
        row.attempt,
        row.formVersion,
        row.ruleSetVersion,
        JSON.stringify(row.values),
        JSON.stringify(row.explanations),
        row.contentSha256,
        row.idempotencyKey,
        row.submittedBy,
        row.receivedAt,
        SUBMITTED,
      ],
    );
    return { id: added!.filing_id, revision: added!.revision };
  }

  /** The filing, locked until the transaction ends when it is about to change (before its revisions: see FilingStatusRepository). */
  filing(em: EntityManager, id: string, lock = false): Promise<Filing | null> {
    return em.findOne(Filing, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  }

  revision(em: EntityManager, filingId: string, revision: number): Promise<FilingRevision | null> {
    return em.findOne(FilingRevision, { filingId, revision });
  }

  /** Every revision of the filing, oldest first. */
  revisions(em: EntityManager, filingId: string): Promise<FilingRevision[]> {
    return em.find(FilingRevision, { filingId }, { orderBy: { revision: 'asc' } });
  }

  /** One page of the filings in `scope`, newest change first, and how many there are in all. */
  async page(
    em: EntityManager,
    scope: ScopeFilter,
    filter: FilingListFilter,
    page: number,
    pageSize: number,
  ): Promise<{ total: number; rows: FilingRow[] }> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (scope.kind !== 'all') {
      conditions.push(filingInScopeSql(scope.kind));
      params.push(JSON.stringify(scope.codes));
    }
    for (const [column, value] of [
      ['f.form_id', filter.formId],
      ['f.period', filter.period],
      ['f.status', filter.status],
      ['f.uscc', filter.uscc],
    ] as const) {
      if (value) {
        conditions.push(`${column} = ?`);
        params.push(value);
      }
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const [{ total }] = await em.execute<{ total: string }[]>(
      `SELECT count(*) AS total FROM filing f ${where}`,
      params,
    );
    const rows = await em.execute<FilingRow[]>(
      `SELECT f.* FROM filing f ${where} ORDER BY f.updated_at DESC, f.id LIMIT ? OFFSET ?`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { total: Number(total), rows };
  }

  /** Whether a filing of `uscc` for `period` (stored or not) is in `scope`, by the links valid on the period's last day. */
  async inScope(em: EntityManager, scope: ScopeFilter, uscc: string, period: string): Promise<boolean> {
    if (scope.kind === 'all') return true;
    const rows = await em.execute(
      `SELECT 1 FROM (SELECT ?::text AS uscc, ?::text AS period) f WHERE ${filingInScopeSql(scope.kind)}`,
      [uscc, period, JSON.stringify(scope.codes)],
    );
    return rows.length > 0;
  }

  /** Whether an enterprise was ever linked to one of a park or street team's codes, at any date. */
  async everInScope(
    em: EntityManager,
    kind: 'park' | 'street',
    codes: readonly string[],
    uscc: string,
  ): Promise<boolean> {
    const rows = await em.execute(everInScopeSql(kind), [uscc, JSON.stringify(codes)]);
    return rows.length > 0;
  }

  /** The enterprise as the rules see it on `onDate` (its industry, whether in the form's survey scope); undefined if unknown. */
  async enterpriseOn(
    em: EntityManager,
    uscc: string,
    formId: string,
    onDate: string,
  ): Promise<{ industry_code: string; in_scope: boolean } | undefined> {
    const [row] = await em.execute<{ industry_code: string; in_scope: boolean }[]>(
      `SELECT e.industry_code, EXISTS (SELECT 1 FROM enterprise_scope s WHERE s.uscc = e.uscc AND s.form_id = ?
                AND s.valid_from <= ?::date AND (s.valid_to IS NULL OR s.valid_to >= ?::date)) AS in_scope
         FROM enterprise e WHERE e.uscc = ?`,
      [formId, onDate, onDate, uscc],
    );
    return row;
  }

  /** The newest accepted revision of an enterprise's filing for a period (what cross-period rules compare with). */
  async latestAccepted(
    em: EntityManager,
    uscc: string,
    formId: string,
    period: string,
  ): Promise<ReferenceFiling | undefined> {
    // Intake keeps each revision's newest verdict on the revision itself, which is what the rule reads.
    const [row] = await em.execute<{ revision: number; values: Record<string, string> }[]>(
      acceptedRevisionsSql(REVISION_VERDICTS, 'v.uscc = ? AND v.form_id = ? AND v.period = ?'),
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
function filingInScopeSql(kind: 'uscc' | 'street' | 'park'): string {
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
function everInScopeSql(kind: 'street' | 'park'): string {
  return kind === 'park'
    ? 'SELECT 1 FROM enterprise_membership WHERE uscc = ? AND park_code IN (SELECT jsonb_array_elements_text(?::jsonb)) LIMIT 1'
    : 'SELECT 1 FROM enterprise_street WHERE uscc = ? AND street_code IN (SELECT jsonb_array_elements_text(?::jsonb)) LIMIT 1';
}
