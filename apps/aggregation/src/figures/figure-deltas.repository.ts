import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { singleMonthSql } from '@huoju/domain';
import { DIMENSIONS, memberSelect } from '../rollups/rollup-dimensions';
import { indicatorKinds, keyContext, type KeyContext, type PeriodKey } from './figure-periods';

/** The attribution columns figure_input shares with the roll-up's members table (same names, same meaning). */
const MEMBER_COLUMNS =
  'park_code, sub_park_code, carrier_code, registered_district, street_code, section, division, industry_tags, qualifications';
const INPUT_COLUMNS = `form_id, period, uscc, ${MEMBER_COLUMNS}, in_scope, filed, accepted, filing_id, revision, verdict`;

/**
 * The served figures, moved by exact deltas inside the transaction that changed the facts.
 *
 * For every key (enterprise × form × period) it recomputes what the enterprise contributes to its period's
 * figures — attribution by the roster on the period's last day, completeness flags, and per indicator the
 * YTD, single-month and last-year values — subtracts what was stored for it and adds the new contribution,
 * per member of every dimension, in NUMERIC. Figures are therefore current the moment a verdict is applied;
 * the roll-up only reconciles (recomputes, compares, repairs) and finalises.
 *
 * A park-period is maintained (figure_scope) from its first reconciliation on, which counts every member of
 * the park set-based under that park's locks, so completeness counts the enterprises that have not filed too;
 * its first filing asks for that reconciliation at once (no deferral). Deltas skip park-periods not yet
 * maintained: starting them here put a whole zone's first filings (250,000 enterprises) into one delta
 * transaction that held every park's locks for over nine minutes.
 */
@Injectable()
export class FigureDeltasRepository {
  /**
   * Locks the (form, period, park) figures the keys touch — by the roster and by what is stored — so roll-ups
   * and deltas of one park-period never interleave. Taken in sorted order; if a roster change committed while
   * waiting moved an enterprise, the new parks are locked too (a rare deadlock is retried by the transport).
   */
  async lock(em: EntityManager, keys: readonly KeyContext[]): Promise<void> {
    const held = new Set<string>();
    for (;;) {
      const rows = await em.execute<{ lock_key: string }[]>(
        `WITH k AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS k(uscc text, form_id text, period text, period_end date))
         SELECT DISTINCT k.form_id || '|' || k.period || '|' || m.park_code AS lock_key FROM k
           JOIN roster_membership m ON m.uscc = k.uscc AND m.valid_from <= k.period_end AND (m.valid_to IS NULL OR m.valid_to >= k.period_end)
         UNION
         SELECT i.form_id || '|' || i.period || '|' || i.park_code FROM k JOIN figure_input i USING (form_id, period, uscc)`,
        [keysJson(keys)],
      );
      const missing = rows.map((r) => r.lock_key).filter((key) => !held.has(key));
      if (missing.length === 0) return;
      await lockFigures(em, missing);
      for (const key of missing) held.add(key);
    }
  }

  /** Applies the delta of every key (see the class comment). Keys without a form version are ignored. */
  async apply(em: EntityManager, periodKeys: readonly PeriodKey[]): Promise<void> {
    const keys = periodKeys.map(keyContext).filter((k): k is KeyContext => k !== undefined);
    if (keys.length === 0) return;
    await this.lock(em, keys);
    await em.execute(
      `CREATE TEMP TABLE delta_keys ON COMMIT DROP AS
       SELECT * FROM jsonb_to_recordset(?::jsonb) AS k(uscc text, form_id text, period text, period_end date, month int, previous text, last_year text)`,
      [keysJson(keys)],
    );
    await em.execute(
      `CREATE TEMP TABLE delta_new_input ON COMMIT DROP AS
       SELECT DISTINCT ON (k.uscc, k.form_id, k.period) k.form_id, k.period, k.uscc,
              m.park_code, m.sub_park_code, m.carrier_code, e.registered_district, s.street_code,
              upper(substr(e.industry_code, 1, 1)) AS section, substr(e.industry_code, 2, 2) AS division, e.industry_tags,
              ARRAY(SELECT DISTINCT q.tag FROM roster_qualification q WHERE q.uscc = k.uscc AND q.valid_from <= k.period_end AND (q.valid_to IS NULL OR q.valid_to >= k.period_end) ORDER BY q.tag) AS qualifications,
              EXISTS (SELECT 1 FROM roster_scope sc WHERE sc.uscc = k.uscc AND sc.form_id = k.form_id AND sc.valid_from <= k.period_end AND (sc.valid_to IS NULL OR sc.valid_to >= k.period_end)) AS in_scope,
              fs.uscc IS NOT NULL AS filed, fs.accepted_revision IS NOT NULL AS accepted,
              fa.filing_id, fa.revision, fa.verdict
         FROM delta_keys k
         JOIN roster_membership m ON m.uscc = k.uscc AND m.valid_from <= k.period_end AND (m.valid_to IS NULL OR m.valid_to >= k.period_end)
         JOIN figure_scope t ON t.form_id = k.form_id AND t.period = k.period AND t.park_code = m.park_code
         JOIN roster_enterprise e ON e.uscc = k.uscc
         LEFT JOIN filing_state fs ON fs.form_id = k.form_id AND fs.period = k.period AND fs.uscc = k.uscc
         LEFT JOIN LATERAL (SELECT f.filing_id, f.revision, f.verdict FROM fact f WHERE f.form_id = k.form_id AND f.period = k.period AND f.uscc = k.uscc LIMIT 1) fa ON true
         LEFT JOIN LATERAL (SELECT street_code FROM roster_street s WHERE s.uscc = k.uscc AND s.valid_from <= k.period_end AND (s.valid_to IS NULL OR s.valid_to >= k.period_end) ORDER BY s.valid_from DESC LIMIT 1) s ON true
        ORDER BY k.uscc, k.form_id, k.period, m.valid_from DESC`,
    );
    // Temporary tables have no statistics: without them the planner guesses one row and loops over facts.
    await em.execute('ANALYZE delta_keys, delta_new_input');
    await em.execute(
      `CREATE TEMP TABLE delta_kinds ON COMMIT DROP AS
       SELECT * FROM jsonb_to_recordset(?::jsonb) AS kd(form_id text, period text, indicator text, kind text)`,
      [JSON.stringify(indicatorKinds(keys))],
    );
    // Every fact is found by its whole primary key (LATERAL), whatever the planner guesses about the temp tables.
    await em.execute(
      `CREATE TEMP TABLE delta_new_contribution ON COMMIT DROP AS
       SELECT k.form_id, k.period, k.uscc, c.indicator, c.value AS ytd,
              ${singleMonthSql({ kind: 'kd.kind', month: 'k.month', ytd: 'c.value', previousYtd: 'pm.value' })} AS month_value,
              ly.value AS ly_value
         FROM delta_new_input i
         JOIN delta_keys k USING (form_id, period, uscc)
         CROSS JOIN LATERAL (SELECT f.indicator, f.value FROM fact f WHERE f.form_id = k.form_id AND f.period = k.period AND f.uscc = k.uscc) c
         JOIN delta_kinds kd ON kd.form_id = k.form_id AND kd.period = k.period AND kd.indicator = c.indicator
         LEFT JOIN LATERAL (SELECT f.value FROM fact f WHERE f.form_id = k.form_id AND f.period = k.previous AND f.uscc = k.uscc AND f.indicator = c.indicator) pm ON true
         LEFT JOIN LATERAL (SELECT f.value FROM fact f WHERE f.form_id = k.form_id AND f.period = k.last_year AND f.uscc = k.uscc AND f.indicator = c.indicator) ly ON true`,
    );
    // +1 for what the keys contribute now, −1 for what they contributed before.
    await em.execute(
      `CREATE TEMP TABLE delta_inputs ON COMMIT DROP AS
       SELECT 1 AS sign, ${INPUT_COLUMNS} FROM delta_new_input
       UNION ALL
       SELECT -1, ${INPUT_COLUMNS.split(', ')
         .map((c) => `i.${c}`)
         .join(', ')} FROM figure_input i JOIN delta_keys k USING (form_id, period, uscc)`,
    );
    await em.execute(
      `CREATE TEMP TABLE delta_rows ON COMMIT DROP AS
       SELECT 1 AS sign, i.form_id, i.period, ${MEMBER_COLUMNS.split(', ')
         .map((c) => `i.${c}`)
         .join(', ')}, c.indicator, c.ytd, c.month_value, c.ly_value
         FROM delta_new_input i JOIN delta_new_contribution c USING (form_id, period, uscc)
       UNION ALL
       SELECT -1, i.form_id, i.period, ${MEMBER_COLUMNS.split(', ')
         .map((c) => `i.${c}`)
         .join(', ')}, c.indicator, c.ytd, c.month_value, c.ly_value
         FROM delta_keys k JOIN figure_input i USING (form_id, period, uscc)
         CROSS JOIN LATERAL (SELECT * FROM figure_contribution c WHERE c.form_id = k.form_id AND c.period = k.period AND c.uscc = k.uscc) c`,
    );
    await this.applyFigureDeltas(em);
    await this.applyCompletenessDeltas(em);
    // The stored contributions become the new ones: the next delta subtracts exactly these.
    await em.execute(
      `DELETE FROM figure_contribution c USING delta_keys k WHERE c.form_id = k.form_id AND c.period = k.period AND c.uscc = k.uscc`,
    );
    await em.execute(
      `DELETE FROM figure_input i USING delta_keys k WHERE i.form_id = k.form_id AND i.period = k.period AND i.uscc = k.uscc`,
    );
    await em.execute(`INSERT INTO figure_input (${INPUT_COLUMNS}) SELECT ${INPUT_COLUMNS} FROM delta_new_input`);
    await em.execute(
      `INSERT INTO figure_contribution (form_id, period, uscc, indicator, ytd, month_value, ly_value)
       SELECT form_id, period, uscc, indicator, ytd, month_value, ly_value FROM delta_new_contribution`,
    );
    await em.execute(
      'DROP TABLE delta_keys, delta_new_input, delta_kinds, delta_new_contribution, delta_inputs, delta_rows',
    );
  }

  private async applyFigureDeltas(em: EntityManager): Promise<void> {
    const columns = `form_id, period, park_code, indicator, sum(sign * ytd) AS ytd, sum(sign * month_value) AS month,
      sum(sign * ytd) FILTER (WHERE ly_value IS NOT NULL) AS comparable_ytd, sum(sign * ly_value) AS last_year_ytd,
      sum(sign) AS enterprises, coalesce(sum(sign) FILTER (WHERE month_value IS NOT NULL), 0) AS month_enterprises,
      coalesce(sum(sign) FILTER (WHERE ly_value IS NOT NULL), 0) AS ly_enterprises`;
    await em.execute(
      `CREATE TEMP TABLE delta_figures ON COMMIT DROP AS
       SELECT * FROM (${DIMENSIONS.map((d) => memberSelect(d, 'delta_rows', columns, 'form_id, period, park_code, indicator')).join(' UNION ALL ')}) d
        WHERE coalesce(ytd, 0) <> 0 OR coalesce(month, 0) <> 0 OR coalesce(comparable_ytd, 0) <> 0 OR coalesce(last_year_ytd, 0) <> 0
           OR enterprises <> 0 OR month_enterprises <> 0 OR ly_enterprises <> 0`,
    );
    await em.execute(
      `INSERT INTO figure AS f (park_code, form_id, period, dimension, member, indicator, ytd, month, comparable_ytd, last_year_ytd,
                                enterprises, month_enterprises, ly_enterprises, rollup_id, final)
       SELECT park_code, form_id, period, dimension, member, indicator, coalesce(ytd, 0), coalesce(month, 0), coalesce(comparable_ytd, 0),
              coalesce(last_year_ytd, 0), enterprises, month_enterprises, ly_enterprises, 'incremental', false
         FROM delta_figures
       ON CONFLICT (form_id, period, park_code, dimension, member, indicator) DO UPDATE SET
         ytd = f.ytd + excluded.ytd,
         month = coalesce(f.month, 0) + excluded.month,
         comparable_ytd = coalesce(f.comparable_ytd, 0) + excluded.comparable_ytd,
         last_year_ytd = coalesce(f.last_year_ytd, 0) + excluded.last_year_ytd,
         enterprises = f.enterprises + excluded.enterprises,
         month_enterprises = f.month_enterprises + excluded.month_enterprises,
         ly_enterprises = f.ly_enterprises + excluded.ly_enterprises`,
    );
    // A sum over no enterprise is NULL, as a recomputation would give; an empty figure disappears
    // unless it was published final (then it is kept, unserved, for the revision notice).
    await em.execute(
      `UPDATE figure f SET month = CASE WHEN f.month_enterprises > 0 THEN f.month END,
              comparable_ytd = CASE WHEN f.ly_enterprises > 0 THEN f.comparable_ytd END,
              last_year_ytd = CASE WHEN f.ly_enterprises > 0 THEN f.last_year_ytd END
         FROM delta_figures d
        WHERE f.form_id = d.form_id AND f.period = d.period AND f.park_code = d.park_code AND f.dimension = d.dimension
          AND f.member = d.member AND f.indicator = d.indicator AND (f.month_enterprises = 0 OR f.ly_enterprises = 0)`,
    );
    await em.execute(
      `DELETE FROM figure f USING (SELECT DISTINCT form_id, period, park_code FROM delta_figures) p
        WHERE f.form_id = p.form_id AND f.period = p.period AND f.park_code = p.park_code AND f.enterprises = 0 AND NOT f.final`,
    );
    await em.execute('DROP TABLE delta_figures');
  }

  private async applyCompletenessDeltas(em: EntityManager): Promise<void> {
    const columns = `form_id, period, park_code, coalesce(sum(sign) FILTER (WHERE in_scope), 0) AS expected,
      coalesce(sum(sign) FILTER (WHERE in_scope AND filed), 0) AS filed, coalesce(sum(sign) FILTER (WHERE in_scope AND accepted), 0) AS accepted,
      sum(sign) AS members`;
    await em.execute(
      `INSERT INTO completeness AS c (park_code, form_id, period, dimension, member, expected, filed, accepted, members)
       SELECT park_code, form_id, period, dimension, member, expected, filed, accepted, members
         FROM (${DIMENSIONS.map((d) => memberSelect(d, 'delta_inputs', columns, 'form_id, period, park_code')).join(' UNION ALL ')}) d
        WHERE expected <> 0 OR filed <> 0 OR accepted <> 0 OR members <> 0
       ON CONFLICT (form_id, period, park_code, dimension, member) DO UPDATE SET
         expected = c.expected + excluded.expected, filed = c.filed + excluded.filed,
         accepted = c.accepted + excluded.accepted, members = c.members + excluded.members`,
    );
    await em.execute(
      `DELETE FROM completeness c USING (SELECT DISTINCT form_id, period, park_code FROM delta_inputs) p
        WHERE c.form_id = p.form_id AND c.period = p.period AND c.park_code = p.park_code AND c.members <= 0`,
    );
  }
}

/**
 * Attribution reads the roster: a roster change takes this lock exclusively before it writes, every delta
 * and roll-up takes it shared before it reads, so none of them can attribute by a roster that is changing
 * under it (facts transactions still run side by side). Roster changes are rare and short.
 */
export async function lockRoster(em: EntityManager, mode: 'read' | 'change'): Promise<void> {
  await em.execute(
    mode === 'change'
      ? `SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '|figure-roster', 0))`
      : `SELECT pg_advisory_xact_lock_shared(hashtextextended(current_schema() || '|figure-roster', 0))`,
  );
}

/** Transaction-scoped advisory locks on figure keys, taken in sorted order (the array's order is kept). */
export async function lockFigures(em: EntityManager, lockKeys: readonly string[]): Promise<void> {
  if (lockKeys.length === 0) return;
  const sorted = [...new Set(lockKeys)].sort();
  // jsonb_array_elements_text is a function scan: the locks are taken in the array's order.
  await em.execute(
    `SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '|figure|' || k, 0)) FROM jsonb_array_elements_text(?::jsonb) AS k`,
    [JSON.stringify(sorted)],
  );
}

function keysJson(keys: readonly KeyContext[]): string {
  return JSON.stringify(
    keys.map((k) => ({
      uscc: k.uscc,
      form_id: k.formId,
      period: k.period,
      period_end: k.periodEnd,
      month: k.month,
      previous: k.previous,
      last_year: k.lastYear,
    })),
  );
}
