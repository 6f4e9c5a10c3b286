import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ComplianceStatus } from './compliance-status';
import type { PeriodDeadlines } from './deadline-calendar';

/** Whose enterprises: the streets or parks they belonged to at the due date, or a list of USCCs; nothing = the zone. */
export interface ExpectationFilter {
  readonly streets?: readonly string[];
  readonly parks?: readonly string[];
  readonly usccs?: readonly string[];
}

export interface ExpectationRow {
  readonly period: string;
  readonly uscc: string;
  readonly nameZh: string;
  readonly industryCode: string;
  readonly contact: { name: string; phone: string; email: string };
  readonly parkCode: string;
  readonly subParkCode: string;
  readonly carrierCode: string | null;
  readonly streetCode: string;
  readonly status: ComplianceStatus;
  readonly latestOutcome: string | null;
  readonly firstReceivedAt: Date | null;
  readonly acceptedRevision: number | null;
  readonly acceptedReceivedAt: Date | null;
}

export interface CountRow {
  /** The period, park, carrier or street code, as grouped. */
  readonly key: string;
  readonly parkCode: string | null;
  readonly counts: Record<ComplianceStatus, number>;
  /** Accepted filings first received by the end of the grace period (what parks are evaluated on). */
  readonly filedByGraceEnd: number;
}

interface RawRow {
  period: string;
  uscc: string;
  name_zh: string;
  industry_code: string;
  contact: { name: string; phone: string; email: string };
  park_code: string;
  sub_park_code: string;
  carrier_code: string | null;
  street_code: string;
  status: ComplianceStatus;
  latest_outcome: string | null;
  first_received_at: Date | null;
  accepted_revision: number | null;
  accepted_received_at: Date | null;
}

const STATUS_COLUMNS = `count(*) FILTER (WHERE status = 'overdue') AS overdue,
  count(*) FILTER (WHERE status = 'not-filed') AS not_filed,
  count(*) FILTER (WHERE status = 'needs-explanation') AS needs_explanation,
  count(*) FILTER (WHERE status = 'rejected') AS rejected,
  count(*) FILTER (WHERE status = 'filed-late') AS filed_late,
  count(*) FILTER (WHERE status = 'filed-on-time') AS filed_on_time,
  count(*) FILTER (WHERE accepted_revision IS NOT NULL AND first_received_at <= grace_ends_at) AS filed_by_grace_end`;

/**
 * The expected filings and their status, computed from the roster copy and filing_state in one statement:
 * - expected: in survey scope for the form (roster_scope) on the period's last day;
 * - attributed to the park, carrier and street the enterprise belonged to on the due date, or, if it left
 *   before then, to the last one it belonged to after the period ended (so a move is chased by the new street);
 *   an enterprise with no park membership in that window is not expected;
 * - status from the first receipt, the latest verdict and the accepted revision, against the due date and
 *   the end of the grace period, at `now`.
 */
@Injectable()
export class ExpectationsRepository {
  async rows(
    em: EntityManager,
    periods: readonly PeriodDeadlines[],
    filter: ExpectationFilter,
    now: Date,
  ): Promise<ExpectationRow[]> {
    if (periods.length === 0) return [];
    const { sql, params } = expectationsSql(periods, filter, now);
    const rows = await em.execute<RawRow[]>(sql, params);
    return rows.map((row) => ({
      period: row.period,
      uscc: row.uscc,
      nameZh: row.name_zh,
      industryCode: row.industry_code,
      contact: row.contact,
      parkCode: row.park_code,
      subParkCode: row.sub_park_code,
      carrierCode: row.carrier_code,
      streetCode: row.street_code,
      status: row.status,
      latestOutcome: row.latest_outcome,
      firstReceivedAt: toDate(row.first_received_at),
      acceptedRevision: row.accepted_revision,
      acceptedReceivedAt: toDate(row.accepted_received_at),
    }));
  }

  /**
   * Status counts per period, park, carrier or street (enterprises without a carrier, or without a street, are
   * left out of that grouping).
   */
  async counts(
    em: EntityManager,
    periods: readonly PeriodDeadlines[],
    filter: ExpectationFilter,
    now: Date,
    groupBy: 'period' | 'park' | 'carrier' | 'street',
  ): Promise<CountRow[]> {
    if (periods.length === 0) return [];
    const { sql, params } = expectationsSql(periods, filter, now);
    const key = { period: 'period', park: 'park_code', carrier: 'carrier_code', street: 'street_code' }[groupBy];
    const parkColumn = groupBy === 'period' ? 'NULL::text' : 'min(park_code)';
    const rows = await em.execute<Record<string, string | null>[]>(
      `SELECT ${key} AS key, ${parkColumn} AS park_code, ${STATUS_COLUMNS}
         FROM (${sql}) r ${groupBy === 'carrier' ? 'WHERE carrier_code IS NOT NULL' : groupBy === 'street' ? "WHERE street_code <> ''" : ''}
        GROUP BY ${key} ORDER BY ${key}`,
      params,
    );
    return rows.map((row) => ({
      key: row.key!,
      parkCode: row.park_code,
      counts: {
        overdue: Number(row.overdue),
        'not-filed': Number(row.not_filed),
        'needs-explanation': Number(row.needs_explanation),
        rejected: Number(row.rejected),
        'filed-late': Number(row.filed_late),
        'filed-on-time': Number(row.filed_on_time),
      },
      filedByGraceEnd: Number(row.filed_by_grace_end),
    }));
  }
}

/** The expectation SELECT and its parameters; also the source the reminder inserts select from. */
export function expectationsSql(
  periods: readonly PeriodDeadlines[],
  filter: ExpectationFilter,
  now: Date,
): { sql: string; params: unknown[] } {
  const formIds = new Set(periods.map((p) => p.formId));
  if (formIds.size !== 1) throw new Error('expectations are computed for one form at a time');
  const formId = periods[0]!.formId;
  const periodsJson = JSON.stringify(
    periods.map((p) => ({
      period: p.period,
      period_end: p.periodEnd,
      due_on: p.schedule.dueOn,
      due_at: p.schedule.dueAt.toISOString(),
      grace_ends_at: p.schedule.graceEndsAt.toISOString(),
      now: now.toISOString(),
    })),
  );
  const narrow: string[] = [];
  const narrowParams: unknown[] = [];
  const attribution: string[] = [];
  const attributionParams: unknown[] = [];
  // Narrowing by any row for the street/park uses their indexes; the attribution on the due date decides.
  if (filter.streets) {
    narrow.push(
      'sc.uscc IN (SELECT uscc FROM roster_street WHERE street_code IN (SELECT jsonb_array_elements_text(?::jsonb)))',
    );
    narrowParams.push(JSON.stringify(filter.streets));
    attribution.push('a.street_code IN (SELECT jsonb_array_elements_text(?::jsonb))');
    attributionParams.push(JSON.stringify(filter.streets));
  }
  if (filter.parks) {
    narrow.push(
      'sc.uscc IN (SELECT uscc FROM roster_membership WHERE park_code IN (SELECT jsonb_array_elements_text(?::jsonb)))',
    );
    narrowParams.push(JSON.stringify(filter.parks));
    attribution.push('a.park_code IN (SELECT jsonb_array_elements_text(?::jsonb))');
    attributionParams.push(JSON.stringify(filter.parks));
  }
  if (filter.usccs) {
    narrow.push('sc.uscc IN (SELECT jsonb_array_elements_text(?::jsonb))');
    narrowParams.push(JSON.stringify(filter.usccs));
  }
  const sql = `WITH p AS (
      SELECT * FROM jsonb_to_recordset(?::jsonb) AS p(period text, period_end date, due_on date, due_at timestamptz, grace_ends_at timestamptz, now timestamptz)
    ),
    candidate AS (
      SELECT DISTINCT p.period, sc.uscc FROM p
        JOIN roster_scope sc ON sc.form_id = ? AND sc.valid_from <= p.period_end AND (sc.valid_to IS NULL OR sc.valid_to >= p.period_end)
       WHERE ${narrow.length > 0 ? narrow.join(' AND ') : 'true'}
    ),
    membership AS (
      SELECT DISTINCT ON (c.period, c.uscc) c.period, c.uscc, m.park_code, m.sub_park_code, m.carrier_code
        FROM candidate c JOIN p USING (period)
        JOIN roster_membership m ON m.uscc = c.uscc AND m.valid_from <= p.due_on AND (m.valid_to IS NULL OR m.valid_to >= p.period_end)
       ORDER BY c.period, c.uscc, (m.valid_to IS NULL OR m.valid_to >= p.due_on) DESC, m.valid_from DESC
    ),
    street AS (
      SELECT DISTINCT ON (c.period, c.uscc) c.period, c.uscc, s.street_code
        FROM candidate c JOIN p USING (period)
        JOIN roster_street s ON s.uscc = c.uscc AND s.valid_from <= p.due_on AND (s.valid_to IS NULL OR s.valid_to >= p.period_end)
       ORDER BY c.period, c.uscc, (s.valid_to IS NULL OR s.valid_to >= p.due_on) DESC, s.valid_from DESC
    ),
    attributed AS (
      SELECT m.uscc, p.*, m.park_code, m.sub_park_code, m.carrier_code, COALESCE(s.street_code, '') AS street_code
        FROM membership m JOIN p USING (period) LEFT JOIN street s USING (period, uscc)
    )
    SELECT a.period, a.uscc, e.name_zh, e.industry_code, e.contact, a.park_code, a.sub_park_code, a.carrier_code, a.street_code,
           a.due_at, a.grace_ends_at, fs.latest_outcome, fs.first_received_at, fs.accepted_revision, fs.accepted_received_at,
           CASE WHEN fs.accepted_revision IS NOT NULL AND fs.first_received_at <= a.due_at THEN 'filed-on-time'
                WHEN fs.accepted_revision IS NOT NULL THEN 'filed-late'
                WHEN a.now >= a.grace_ends_at THEN 'overdue'
                WHEN fs.latest_outcome = 'needs-explanation' THEN 'needs-explanation'
                WHEN fs.latest_outcome = 'rejected' THEN 'rejected'
                ELSE 'not-filed' END AS status
      FROM attributed a
      JOIN roster_enterprise e USING (uscc)
      LEFT JOIN filing_state fs ON fs.form_id = ? AND fs.period = a.period AND fs.uscc = a.uscc
     WHERE ${attribution.length > 0 ? attribution.join(' AND ') : 'true'}`;
  return { sql, params: [periodsJson, formId, ...narrowParams, formId, ...attributionParams] };
}

function toDate(value: Date | string | null): Date | null {
  return value === null ? null : value instanceof Date ? value : new Date(value);
}
