import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { singleMonthSql, type FormVersion } from '@huoju/domain';
import { DIMENSIONS, memberSelect } from './rollup-dimensions';

/** Which figures a roll-up recomputes: one form and period, for one park or every park (a jsonb array). */
export interface RollupTarget {
  readonly formId: string;
  readonly period: string;
  /** The park codes as a JSON array text (they come from the zone's fixed list, never from a request). */
  readonly parks: string;
}

export interface FigureRow {
  dimension: string;
  member: string;
  indicator: string;
  ytd: string;
  month: string | null;
}

export interface InputRow {
  uscc: string;
  filing_id: string;
  revision: number;
  verdict: number;
  members: Record<string, string | string[] | null>;
}

export interface FigureDefect {
  park_code: string;
  dimension: string;
  member: string;
  indicator: string;
  live: string | null;
  recomputed: string | null;
}

export type ChangedFigure = FigureRow & {
  park_code: string;
  old_ytd: string | null;
  old_month: string | null;
  old_final: boolean | null;
};

export interface PendingSeen {
  park_code: string;
  /** timestamptz as text: exact to the microsecond, unlike a JavaScript Date. */
  requested_at: string;
}

export interface ParkCutoff {
  park_code: string;
  filings: string;
  last_validated_at: string | null;
  facts_hash: string;
  figures: string;
}

/** The measures of one enterprise's indicator for the roll-up: YTD, the single month and last year. */
interface Measures {
  readonly month: number | null;
  readonly previous: string | null;
  readonly lastYear: string;
  readonly end: string;
}

function targetSql(target: RollupTarget): string {
  return `form_id = '${target.formId}' AND period = '${target.period}' AND ${inParks('park_code', target.parks)}`;
}

/** `column` is one of the parks of a JSON array text (park codes from the zone's fixed list). */
function inParks(column: string, parks: string): string {
  return `${column} IN (SELECT jsonb_array_elements_text('${parks}'::jsonb))`;
}

export interface RollupRunRow {
  id: string;
  park_code: string;
  form_id: string;
  period: string;
  trigger: string;
  final: boolean;
  state: string;
  figures: number | null;
  revised_figures: number | null;
  filings: number | null;
  facts_hash: string | null;
  error: string | null;
  started_at: Date | null;
  finished_at: Date | null;
}

/**
 * The set-based SQL of a roll-up (it stays SQL: whole parks in a handful of statements). The roll-up stages
 * its recomputation in temporary tables dropped at commit — members, rows, figures, completeness — then
 * compares them with what the deltas maintain and repairs any difference. The use case is RollupService.
 */
@Injectable()
export class RollupRepository {
  async run(em: EntityManager, id: string): Promise<RollupRunRow | undefined> {
    const [run] = await em.execute<RollupRunRow[]>('SELECT * FROM rollup_run WHERE id = ?', [id]);
    return run;
  }

  async startRun(
    em: EntityManager,
    run: { id: string; parkCode: string; formId: string; period: string; trigger: string; final: boolean },
  ): Promise<void> {
    await em.execute(
      'INSERT INTO rollup_run (id, park_code, form_id, period, trigger, final, state) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      [run.id, run.parkCode, run.formId, run.period, run.trigger, run.final, 'running'],
    );
  }

  async failRun(em: EntityManager, id: string, error: string): Promise<void> {
    await em.execute(`UPDATE rollup_run SET state = 'failed', error = ?, finished_at = now() WHERE id = ?`, [
      error.slice(0, 2000),
      id,
    ]);
  }

  async completeRun(
    em: EntityManager,
    id: string,
    done: {
      figures: number;
      revisedFigures: number;
      factsHash: string | null;
      filings: number;
      lastValidatedAt: string | null;
      defects: number;
    },
  ): Promise<void> {
    await em.execute(
      `UPDATE rollup_run SET state = 'completed', figures = ?, revised_figures = ?, facts_hash = ?, filings = ?, last_validated_at = ?, defects = ?, finished_at = clock_timestamp() WHERE id = ?`,
      [done.figures, done.revisedFigures, done.factsHash, done.filings, done.lastValidatedAt, done.defects, id],
    );
  }

  /** rollup_members: who belongs to the parks on the period's last day, with every dimension they count under. */
  async stageMembers(em: EntityManager, target: RollupTarget, end: string): Promise<void> {
    const { formId, period, parks } = target;
    await em.execute(
      `CREATE TEMP TABLE rollup_members ON COMMIT DROP AS
       SELECT m.uscc, m.park_code, m.sub_park_code, m.carrier_code, e.registered_district, s.street_code,
              upper(substr(e.industry_code, 1, 1)) AS section, substr(e.industry_code, 2, 2) AS division, e.industry_tags,
              ARRAY(SELECT DISTINCT q.tag FROM roster_qualification q WHERE q.uscc = m.uscc AND q.valid_from <= ?::date AND (q.valid_to IS NULL OR q.valid_to >= ?::date) ORDER BY q.tag) AS qualifications,
              EXISTS (SELECT 1 FROM roster_scope sc WHERE sc.uscc = m.uscc AND sc.form_id = ? AND sc.valid_from <= ?::date AND (sc.valid_to IS NULL OR sc.valid_to >= ?::date)) AS in_scope,
              fs.uscc IS NOT NULL AS filed, fs.accepted_revision IS NOT NULL AS accepted
         FROM roster_membership m
         JOIN roster_enterprise e ON e.uscc = m.uscc
         LEFT JOIN filing_state fs ON fs.form_id = ? AND fs.period = ? AND fs.uscc = m.uscc
         LEFT JOIN LATERAL (SELECT street_code FROM roster_street s WHERE s.uscc = m.uscc AND s.valid_from <= ?::date AND (s.valid_to IS NULL OR s.valid_to >= ?::date) ORDER BY s.valid_from DESC LIMIT 1) s ON true
        WHERE m.park_code IN (SELECT jsonb_array_elements_text(?::jsonb)) AND m.valid_from <= ?::date AND (m.valid_to IS NULL OR m.valid_to >= ?::date)`,
      [end, end, formId, end, end, formId, period, end, end, parks, end, end],
    );
  }

  /**
   * rollup_rows: each member's facts with the single-month value (from the previous month's YTD, by the
   * indicator's kind) and last year's comparable value.
   */
  async stageRows(em: EntityManager, target: RollupTarget, form: FormVersion, measures: Measures): Promise<void> {
    const { formId, period } = target;
    const { month, previous, lastYear } = measures;
    const kinds = form.indicators.map((i) => `('${i.code}', '${i.kind}')`).join(', ');
    await em.execute(
      `CREATE TEMP TABLE rollup_rows ON COMMIT DROP AS
       SELECT m.*, c.indicator, c.value AS ytd, c.filing_id, c.revision, c.verdict,
              ${singleMonthSql({ kind: 'k.kind', month: 'p.month', ytd: 'c.value', previousYtd: 'pm.value' })} AS month_value,
              ly.value AS ly_value
         FROM rollup_members m
         JOIN fact c ON c.form_id = ? AND c.period = ? AND c.uscc = m.uscc
         JOIN (VALUES ${kinds}) AS k(indicator, kind) ON k.indicator = c.indicator
         CROSS JOIN (SELECT ?::int AS month) p
         LEFT JOIN fact pm ON pm.form_id = c.form_id AND pm.period = ? AND pm.uscc = c.uscc AND pm.indicator = c.indicator
         LEFT JOIN fact ly ON ly.form_id = c.form_id AND ly.period = ? AND ly.uscc = c.uscc AND ly.indicator = c.indicator`,
      [formId, period, month, previous, lastYear],
    );
  }

  /** rollup_figures: the recomputed figures of every dimension member. */
  async stageFigures(em: EntityManager): Promise<void> {
    const figureColumns = `park_code, indicator, sum(ytd) AS ytd, sum(month_value) AS month,
      sum(ytd) FILTER (WHERE ly_value IS NOT NULL) AS comparable_ytd, sum(ly_value) AS last_year_ytd,
      count(*) AS enterprises, count(month_value) AS month_enterprises, count(ly_value) AS ly_enterprises`;
    const newFigures = DIMENSIONS.map((d) =>
      memberSelect(d, 'rollup_rows', figureColumns, 'park_code, indicator'),
    ).join(' UNION ALL ');
    await em.execute(`CREATE TEMP TABLE rollup_figures ON COMMIT DROP AS ${newFigures}`);
  }

  /** The parks (of the target) whose figures the deltas already maintain, as a JSON array text. */
  async maintainedParks(em: EntityManager, target: RollupTarget): Promise<string> {
    const rows = await em.execute<{ park_code: string }[]>(
      `SELECT park_code FROM figure_scope WHERE ${targetSql(target)}`,
    );
    return JSON.stringify(rows.map((r) => r.park_code));
  }

  /** Maintained figures that differ from the recomputation (each one a defect of the deltas). */
  async figureDefects(em: EntityManager, target: RollupTarget, maintained: string): Promise<FigureDefect[]> {
    const target_ = targetSql(target);
    return em.execute<FigureDefect[]>(
      `SELECT coalesce(n.park_code, o.park_code) AS park_code, coalesce(n.dimension, o.dimension) AS dimension,
              coalesce(n.member, o.member) AS member, coalesce(n.indicator, o.indicator) AS indicator,
              o.ytd::text AS live, n.ytd::text AS recomputed
         FROM rollup_figures n
         FULL JOIN (SELECT * FROM figure WHERE ${target_} AND enterprises > 0) o
           ON o.park_code = n.park_code AND o.dimension = n.dimension AND o.member = n.member AND o.indicator = n.indicator
        WHERE ${inParks('coalesce(n.park_code, o.park_code)', maintained)}
          AND (n.ytd, n.month, n.comparable_ytd, n.last_year_ytd, n.enterprises, n.month_enterprises, n.ly_enterprises)
              IS DISTINCT FROM (o.ytd, o.month, o.comparable_ytd, o.last_year_ytd, o.enterprises, o.month_enterprises, o.ly_enterprises)`,
    );
  }

  async wasFinal(em: EntityManager, target: RollupTarget): Promise<boolean> {
    const [row] = await em.execute<{ was_final: boolean | null }[]>(
      `SELECT bool_or(final) AS was_final FROM figure WHERE ${targetSql(target)}`,
    );
    return row?.was_final === true;
  }

  /** Figures whose recomputed value differs from the one published (the final one where final). */
  async changedFigures(em: EntityManager, target: RollupTarget): Promise<ChangedFigure[]> {
    const target_ = targetSql(target);
    return em.execute<ChangedFigure[]>(
      `SELECT coalesce(n.park_code, o.park_code) AS park_code, coalesce(n.dimension, o.dimension) AS dimension, coalesce(n.member, o.member) AS member,
              coalesce(n.indicator, o.indicator) AS indicator, n.ytd::text AS ytd, n.month::text AS month,
              CASE WHEN o.final THEN o.final_ytd ELSE o.ytd END::text AS old_ytd,
              CASE WHEN o.final THEN o.final_month ELSE o.month END::text AS old_month, o.final AS old_final
         FROM rollup_figures n
         FULL JOIN (SELECT * FROM figure WHERE ${target_}) o
           ON o.park_code = n.park_code AND o.dimension = n.dimension AND o.member = n.member AND o.indicator = n.indicator
        WHERE n.ytd IS DISTINCT FROM CASE WHEN o.final THEN o.final_ytd ELSE o.ytd END
           OR n.month IS DISTINCT FROM CASE WHEN o.final THEN o.final_month ELSE o.month END`,
    );
  }

  /** Which filing revision of each enterprise the target's figures are made of, with its attribution. */
  async inputs(em: EntityManager, target: RollupTarget): Promise<(InputRow & { park_code: string })[]> {
    return em.execute<(InputRow & { park_code: string })[]>(
      `SELECT park_code, uscc, filing_id, revision, verdict, members FROM rollup_input WHERE ${targetSql(target)}`,
    );
  }

  /** The served figures become the recomputation: only rows that differ are written; a final roll-up marks all final. */
  async repairFigures(
    em: EntityManager,
    target: RollupTarget,
    run: { rollupId: string; final: boolean },
  ): Promise<void> {
    await em.execute(
      `DELETE FROM figure f WHERE ${targetSql(target)} AND NOT EXISTS (
         SELECT 1 FROM rollup_figures n WHERE n.park_code = f.park_code AND n.dimension = f.dimension AND n.member = f.member AND n.indicator = f.indicator)`,
    );
    await em.execute(
      `INSERT INTO figure AS f (park_code, form_id, period, dimension, member, indicator, ytd, month, comparable_ytd, last_year_ytd,
                                enterprises, month_enterprises, ly_enterprises, rollup_id, final)
       SELECT park_code, ?, ?, dimension, member, indicator, ytd, month, comparable_ytd, last_year_ytd, enterprises, month_enterprises, ly_enterprises, ?, false
         FROM rollup_figures
       ON CONFLICT (form_id, period, park_code, dimension, member, indicator) DO UPDATE SET
         ytd = excluded.ytd, month = excluded.month, comparable_ytd = excluded.comparable_ytd, last_year_ytd = excluded.last_year_ytd,
         enterprises = excluded.enterprises, month_enterprises = excluded.month_enterprises, ly_enterprises = excluded.ly_enterprises,
         rollup_id = excluded.rollup_id
       WHERE (f.ytd, f.month, f.comparable_ytd, f.last_year_ytd, f.enterprises, f.month_enterprises, f.ly_enterprises)
             IS DISTINCT FROM (excluded.ytd, excluded.month, excluded.comparable_ytd, excluded.last_year_ytd, excluded.enterprises, excluded.month_enterprises, excluded.ly_enterprises)`,
      [target.formId, target.period, run.rollupId],
    );
    if (run.final)
      await em.execute(
        `UPDATE figure SET final = true, final_ytd = ytd, final_month = month, rollup_id = ? WHERE ${targetSql(target)}`,
        [run.rollupId],
      );
  }

  /** rollup_completeness: the recomputed expected / filed / accepted counts of every dimension member. */
  async stageCompleteness(em: EntityManager): Promise<void> {
    const completenessColumns = `park_code, count(*) FILTER (WHERE in_scope) AS expected, count(*) FILTER (WHERE in_scope AND filed) AS filed,
      count(*) FILTER (WHERE in_scope AND accepted) AS accepted, count(*) AS members`;
    await em.execute(
      `CREATE TEMP TABLE rollup_completeness ON COMMIT DROP AS
       SELECT park_code, dimension, member, expected, filed, accepted, members
         FROM (${DIMENSIONS.map((d) => memberSelect(d, 'rollup_members', completenessColumns, 'park_code')).join(' UNION ALL ')}) c`,
    );
  }

  /** How many maintained completeness rows differ from the recomputation (each one a defect of the deltas). */
  async completenessDefects(em: EntityManager, target: RollupTarget, maintained: string): Promise<number> {
    const target_ = targetSql(target);
    const columns = 'park_code, dimension, member, expected, filed, accepted, members';
    const [{ n: defects }] = await em.execute<{ n: string }[]>(
      `SELECT count(*) AS n FROM (
         (SELECT ${columns} FROM completeness WHERE ${target_} EXCEPT SELECT ${columns} FROM rollup_completeness)
         UNION ALL
         (SELECT ${columns} FROM rollup_completeness EXCEPT SELECT ${columns} FROM completeness WHERE ${target_})) d
        WHERE ${inParks('d.park_code', maintained)}`,
    );
    return Number(defects);
  }

  /** Completeness becomes the recomputation's. */
  async replaceCompleteness(em: EntityManager, target: RollupTarget): Promise<void> {
    await em.execute(`DELETE FROM completeness WHERE ${targetSql(target)}`);
    await em.execute(
      `INSERT INTO completeness (park_code, form_id, period, dimension, member, expected, filed, accepted, members)
       SELECT park_code, ?, ?, dimension, member, expected, filed, accepted, members FROM rollup_completeness`,
      [target.formId, target.period],
    );
  }

  /**
   * The per-enterprise state the deltas start from (attribution, completeness flags, contributions) becomes
   * the recomputation's, for every enterprise of these parks; the park-periods are maintained from now on.
   */
  async repairInputs(
    em: EntityManager,
    target: RollupTarget,
    maintained: string,
    checked: string,
  ): Promise<{ count: number; sample: unknown[] }> {
    const { formId, period, parks } = target;
    const scoped = maintained;
    await em.execute(
      `INSERT INTO figure_scope (form_id, period, park_code) SELECT ?, ?, p FROM jsonb_array_elements_text(?::jsonb) AS p ON CONFLICT DO NOTHING`,
      [formId, period, parks],
    );
    await em.execute(
      `CREATE TEMP TABLE rollup_new_input ON COMMIT DROP AS
       SELECT ?::text AS form_id, ?::text AS period, m.uscc, m.park_code, m.sub_park_code, m.carrier_code, m.registered_district, m.street_code,
              m.section, m.division, m.industry_tags, m.qualifications, m.in_scope, m.filed, m.accepted, r.filing_id, r.revision, r.verdict
         FROM (SELECT DISTINCT ON (uscc) * FROM rollup_members ORDER BY uscc, park_code) m
         LEFT JOIN (SELECT DISTINCT ON (uscc) uscc, filing_id, revision, verdict FROM rollup_rows ORDER BY uscc) r USING (uscc)
        WHERE ${inParks('m.park_code', checked)}`,
      [formId, period],
    );
    await em.execute(
      `CREATE TEMP TABLE rollup_affected ON COMMIT DROP AS
       SELECT uscc FROM rollup_new_input
       UNION SELECT uscc FROM figure_input WHERE form_id = ? AND period = ? AND ${inParks('park_code', checked)}`,
      [formId, period],
    );
    await em.execute('ANALYZE rollup_new_input, rollup_affected');
    const columns = `uscc, park_code, sub_park_code, carrier_code, registered_district, street_code, section, division, industry_tags,
      qualifications, in_scope, filed, accepted, filing_id, revision, verdict`;
    const stored = `SELECT ${columns} FROM figure_input WHERE form_id = ? AND period = ? AND uscc IN (SELECT uscc FROM rollup_affected)`;
    // Enterprises whose stored state differs from the recomputation (normally none): replaced whole.
    await em.execute(
      `CREATE TEMP TABLE rollup_stale ON COMMIT DROP AS
       SELECT uscc FROM (${stored} EXCEPT SELECT ${columns} FROM rollup_new_input) a
       UNION SELECT uscc FROM (SELECT ${columns} FROM rollup_new_input EXCEPT ${stored}) b
       UNION SELECT coalesce(n.uscc, o.uscc) FROM (SELECT DISTINCT ON (uscc, indicator) uscc, indicator, ytd, month_value, ly_value FROM rollup_rows
                                                    WHERE uscc IN (SELECT uscc FROM rollup_affected) ORDER BY uscc, indicator) n
         FULL JOIN (SELECT c.uscc, c.indicator, c.ytd, c.month_value, c.ly_value FROM figure_contribution c JOIN rollup_affected a USING (uscc)
                     WHERE c.form_id = ? AND c.period = ?) o ON o.uscc = n.uscc AND o.indicator = n.indicator
        WHERE (n.ytd, n.month_value, n.ly_value) IS DISTINCT FROM (o.ytd, o.month_value, o.ly_value)`,
      [formId, period, formId, period, formId, period],
    );
    // Defects: stale enterprises that were maintained (a stored row, or a park-period already maintained).
    await em.execute(
      `CREATE TEMP TABLE rollup_defective ON COMMIT DROP AS SELECT uscc FROM rollup_stale s
        WHERE EXISTS (SELECT 1 FROM figure_input i WHERE i.form_id = ? AND i.period = ? AND i.uscc = s.uscc)
           OR EXISTS (SELECT 1 FROM rollup_new_input i WHERE i.uscc = s.uscc AND i.park_code IN (SELECT jsonb_array_elements_text(?::jsonb)))`,
      [formId, period, scoped],
    );
    const [{ n }] = await em.execute<{ n: string }[]>('SELECT count(*) AS n FROM rollup_defective');
    const sample =
      Number(n) === 0
        ? []
        : await em.execute<unknown[]>(
            `WITH d AS (SELECT uscc FROM rollup_defective ORDER BY uscc LIMIT 2)
             SELECT 'stored' AS side, i.* FROM figure_input i WHERE form_id = ? AND period = ? AND uscc IN (SELECT uscc FROM d)
             UNION ALL SELECT 'recomputed', i.* FROM rollup_new_input i WHERE uscc IN (SELECT uscc FROM d)`,
            [formId, period],
          );
    await em.execute(
      `DELETE FROM figure_input WHERE form_id = ? AND period = ? AND uscc IN (SELECT uscc FROM rollup_stale)`,
      [formId, period],
    );
    await em.execute(
      `DELETE FROM figure_contribution WHERE form_id = ? AND period = ? AND uscc IN (SELECT uscc FROM rollup_stale)`,
      [formId, period],
    );
    await em.execute(
      `INSERT INTO figure_input (form_id, period, ${columns})
       SELECT form_id, period, ${columns} FROM rollup_new_input WHERE uscc IN (SELECT uscc FROM rollup_stale)`,
    );
    await em.execute(
      `INSERT INTO figure_contribution (form_id, period, uscc, indicator, ytd, month_value, ly_value)
       SELECT DISTINCT ON (uscc, indicator) ?, ?, uscc, indicator, ytd, month_value, ly_value FROM rollup_rows
        WHERE uscc IN (SELECT uscc FROM rollup_stale) ORDER BY uscc, indicator`,
      [formId, period],
    );
    return { count: Number(n), sample };
  }

  /**
   * rollup_input becomes the recomputation's revisions and attributions; only rows that differ are written
   * (a reconciliation normally finds what the last one found).
   */
  async replaceInputs(em: EntityManager, target: RollupTarget): Promise<void> {
    const target_ = targetSql(target);
    await em.execute(
      `CREATE TEMP TABLE rollup_new_revisions ON COMMIT DROP AS
       SELECT DISTINCT ON (r.uscc) r.park_code, ?::text AS form_id, ?::text AS period, r.uscc, r.filing_id, r.revision, r.verdict,
              jsonb_build_object('park', r.park_code, 'subPark', r.sub_park_code, 'carrier', r.carrier_code, 'district', r.registered_district,
                                 'street', r.street_code, 'section', r.section, 'division', r.division, 'industryTag', to_jsonb(r.industry_tags),
                                 'qualification', to_jsonb(r.qualifications)) AS members
         FROM rollup_rows r ORDER BY r.uscc`,
      [target.formId, target.period],
    );
    await em.execute('ANALYZE rollup_new_revisions');
    const same = `n.park_code = i.park_code AND n.uscc = i.uscc AND n.filing_id = i.filing_id AND n.revision = i.revision
                  AND n.verdict = i.verdict AND n.members = i.members`;
    await em.execute(
      `DELETE FROM rollup_input i WHERE ${target_} AND NOT EXISTS (SELECT 1 FROM rollup_new_revisions n WHERE ${same})`,
    );
    await em.execute(
      `INSERT INTO rollup_input (park_code, form_id, period, uscc, filing_id, revision, verdict, members)
       SELECT park_code, form_id, period, uscc, filing_id, revision, verdict, members FROM rollup_new_revisions n
        WHERE NOT EXISTS (SELECT 1 FROM rollup_input i WHERE i.form_id = n.form_id AND i.period = n.period AND ${same})`,
    );
  }

  /** Under the figures' locks: what was pending for these park-periods before this transaction began is done. */
  async finishPending(em: EntityManager, target: RollupTarget): Promise<void> {
    await em.execute(`DELETE FROM rollup_pending WHERE ${targetSql(target)} AND requested_at <= now()`);
  }

  /** The pending requests this transaction's snapshot sees (each request moves requested_at, to the microsecond). */
  async pendingSeen(em: EntityManager, target: RollupTarget): Promise<PendingSeen[]> {
    return em.execute<PendingSeen[]>(
      `SELECT park_code, requested_at::text AS requested_at FROM rollup_pending WHERE ${targetSql(target)}`,
    );
  }

  /**
   * After a snapshot reconciliation commits: the requests it saw are done, unless asked for again since
   * (a newer requested_at), so a filing applied after the snapshot still gets its reconciliation.
   */
  async finishPendingSeen(em: EntityManager, target: RollupTarget, seen: readonly PendingSeen[]): Promise<void> {
    if (seen.length === 0) return;
    await em.execute(
      `DELETE FROM rollup_pending p USING jsonb_to_recordset(?::jsonb) AS s(park_code text, requested_at timestamptz)
        WHERE p.form_id = ? AND p.period = ? AND p.park_code = s.park_code AND p.requested_at = s.requested_at`,
      [JSON.stringify(seen), target.formId, target.period],
    );
  }

  /**
   * The first statements of every reconciliation's transaction. It serialises reconciliations, the only writers
   * of rollup_input, on an empty table of their own (deltas and ANALYZE never touch it); LOCK TABLE takes no
   * snapshot, so in a REPEATABLE READ transaction the snapshot begins after the previous one committed.
   */
  async beginReconciliation(em: EntityManager): Promise<void> {
    await em.execute('LOCK TABLE rollup_reconciliation IN EXCLUSIVE MODE');
    // A park of 30,000 enterprises sorts and hashes hundreds of thousands of staged rows: in memory, not on
    // disk (the 4 MB default spilled; one reconciliation at a time, so this is bounded).
    await em.execute(`SET LOCAL work_mem = '64MB'`);
  }

  /** Per park, the cut-off: how many filing revisions, the newest verdict among them, a hash of the exact list. */
  async cutoffs(em: EntityManager, target: RollupTarget): Promise<ParkCutoff[]> {
    return em.execute<ParkCutoff[]>(
      `SELECT p.park_code, count(i.uscc) AS filings, max(v.validated_at) AS last_validated_at,
              encode(sha256(convert_to(coalesce(string_agg(i.uscc || ':' || i.filing_id || ':' || i.revision || ':' || i.verdict, E'\n' ORDER BY i.uscc), ''), 'UTF8')), 'hex') AS facts_hash,
              (SELECT count(*) FROM rollup_figures f WHERE f.park_code = p.park_code) AS figures
         FROM jsonb_array_elements_text(?::jsonb) AS p(park_code)
         LEFT JOIN rollup_input i ON i.form_id = ? AND i.period = ? AND i.park_code = p.park_code
         LEFT JOIN verdict v ON v.filing_id = i.filing_id AND v.revision = i.revision AND v.verdict = i.verdict
        GROUP BY p.park_code`,
      [target.parks, target.formId, target.period],
    );
  }
}
