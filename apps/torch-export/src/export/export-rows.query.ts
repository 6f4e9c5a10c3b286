import type { EntityManager } from '@mikro-orm/postgresql';
import { acceptedRevisionsSql } from '@huoju/persistence';
import type { ExportRow } from '@huoju/torch-files';
import { rosterOnDaySql } from '../projection/roster-history.repository';

/** Which verdicts an export reflects: those recorded up to seq W, and (optionally) validated up to T. */
export interface VerdictCutoff {
  readonly verdictSequence: string;
  readonly validatedAtLimit: string | null;
  /** W is the newest seq and there is no T: accepted_filing already holds the answer. */
  readonly live: boolean;
}

export interface ExportRowsQuery {
  readonly formId: string;
  readonly period: string;
  /** Park code or "all". */
  readonly park: string;
  /** Roster day the rows are attributed by: the period's last day. */
  readonly rosterDate: string;
  /** Roster versions recorded up to this seq are the roster the export reads. */
  readonly rosterSequence: string;
  /** Previous month of the same year, when the single-month measure is wanted. */
  readonly previousPeriod: string | null;
  readonly cutoff: VerdictCutoff;
}

interface Sql {
  readonly sql: string;
  readonly params: unknown[];
}

const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** The accepted filings of one form and period under a cut-off; both branches give the same rows at W = max(seq). */
function accepted(formId: string, period: string, cutoff: VerdictCutoff): Sql {
  if (cutoff.live) {
    return {
      sql: `SELECT uscc, filing_id, revision, verdict, "values", content_sha256, validated_at FROM accepted_filing WHERE form_id = ? AND period = ?`,
      params: [formId, period],
    };
  }
  return {
    sql: acceptedRevisionsSql(
      'filing_verdict',
      `v.form_id = ? AND v.period = ? AND v.seq <= ? AND v.validated_at <= ?::timestamptz`,
    ),
    params: [formId, period, cutoff.verdictSequence, cutoff.validatedAtLimit ?? 'infinity'],
  };
}

function rosterCte(query: ExportRowsQuery): Sql {
  const roster = rosterOnDaySql(query.rosterSequence, query.rosterDate);
  return { sql: `roster AS (${roster.sql})`, params: roster.params };
}

/**
 * The export rows in USCC order (C collation, so the order never depends on the database locale), with the
 * row count and the newest verdict time over the whole result on every row: the first fetch tells the
 * writer the cut-off time before it writes anything.
 */
export function exportRowsSql(query: ExportRowsQuery): Sql {
  const current = accepted(query.formId, query.period, query.cutoff);
  const previous = query.previousPeriod
    ? accepted(query.formId, query.previousPeriod, query.cutoff)
    : { sql: `SELECT NULL::text AS uscc, NULL::jsonb AS "values" WHERE false`, params: [] };
  const roster = rosterCte(query);
  const parkFilter =
    query.park === 'all' ? { sql: '', params: [] } : { sql: 'WHERE r.park_code = ?', params: [query.park] };
  return {
    sql: `WITH accepted AS (${current.sql}), previous AS (${previous.sql}), ${roster.sql}
          SELECT a.uscc, r.name_zh, r.industry_code, r.registry_version, r.park_code, r.sub_park_code, r.street_code,
                 a.filing_id, a.revision, a.verdict, a.content_sha256,
                 to_char(a.validated_at AT TIME ZONE 'UTC', ${ISO_MS}) AS validated_at,
                 a."values", p."values" AS previous_values,
                 count(*) OVER () AS total,
                 to_char(max(a.validated_at) OVER () AT TIME ZONE 'UTC', ${ISO_MS}) AS newest_validated_at
            FROM accepted a
            JOIN roster r ON r.uscc = a.uscc
            LEFT JOIN previous p ON p.uscc = a.uscc
            ${parkFilter.sql}
           ORDER BY a.uscc COLLATE "C"`,
    params: [...current.params, ...previous.params, ...roster.params, ...parkFilter.params],
  };
}

/** Accepted filings the roster cannot place in any park on the day: never exported, but counted in the manifest. */
export async function countUnattributed(em: EntityManager, query: ExportRowsQuery): Promise<number> {
  const current = accepted(query.formId, query.period, query.cutoff);
  const roster = rosterCte(query);
  const [row] = await em.execute<{ count: string }[]>(
    `WITH accepted AS (${current.sql}), ${roster.sql}
     SELECT count(*) AS count FROM accepted a LEFT JOIN roster r ON r.uscc = a.uscc WHERE r.uscc IS NULL`,
    [...current.params, ...roster.params],
  );
  return Number(row?.count ?? 0);
}

export interface ExportRowRecord {
  uscc: string;
  name_zh: string;
  industry_code: string;
  registry_version: number;
  park_code: string;
  sub_park_code: string;
  street_code: string | null;
  filing_id: string;
  revision: number;
  verdict: number;
  content_sha256: string;
  validated_at: string;
  values: Record<string, string>;
  previous_values: Record<string, string> | null;
  total: string;
  newest_validated_at: string;
}

export function toExportRow(record: ExportRowRecord, withPrevious: boolean): ExportRow {
  return {
    uscc: record.uscc,
    nameZh: record.name_zh,
    parkCode: record.park_code,
    subParkCode: record.sub_park_code,
    streetCode: record.street_code,
    industryCode: record.industry_code,
    registryVersion: record.registry_version,
    filingId: record.filing_id,
    revision: record.revision,
    verdict: record.verdict,
    contentSha256: record.content_sha256,
    validatedAt: record.validated_at,
    values: record.values,
    ...(withPrevious ? { previousValues: record.previous_values } : {}),
  };
}

/** The export's rows read in batches through a server-side cursor, so memory stays flat whatever their number. */
export interface ExportRowsCursor {
  /** The next batch of up to `fetchSize` rows; empty once every row was read. */
  next(): Promise<ExportRowRecord[]>;
  close(): Promise<void>;
}

/** Opens the cursor in the caller's transaction (a cursor lives only as long as it); one per transaction. */
export async function openExportRows(
  tx: EntityManager,
  query: ExportRowsQuery,
  fetchSize: number,
): Promise<ExportRowsCursor> {
  if (!Number.isSafeInteger(fetchSize) || fetchSize < 1) throw new Error(`fetch size ${fetchSize} is not a count`);
  const { sql, params } = exportRowsSql(query);
  await tx.execute(`DECLARE export_rows NO SCROLL CURSOR FOR ${sql}`, params);
  return {
    // FETCH takes no bound parameter for its count; fetchSize is a checked integer from the config.
    next: () => tx.execute<ExportRowRecord[]>(`FETCH FORWARD ${fetchSize} FROM export_rows`),
    close: async () => {
      await tx.execute('CLOSE export_rows');
    },
  };
}
