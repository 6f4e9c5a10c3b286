import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { IsolationLevel } from '@mikro-orm/core';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { AggregateRevised } from '@huoju/contracts';
import {
  formVersionFor,
  parks as zoneParks,
  parsePeriod,
  type FormId,
  periodBounds,
  previousMonthInYear,
  sameMonthLastYear,
  scheduleFor,
  type FormVersion,
} from '@huoju/domain';
import { Outbox } from '@huoju/messaging';
import { CLOCK, LOGGER, type Clock } from '@huoju/platform';
import { lockFigures, lockRoster } from '../figures/figure-deltas.repository';
import { DIMENSIONS, memberSelect } from './rollup-dimensions';

export type RollupTrigger = 'period-closed' | 'on-demand' | 'late-revision' | 'filing-accepted';

export interface RollupResult {
  readonly rollupId: string;
  readonly figures: number;
  readonly revisedFigures: number;
  readonly filings: number;
  readonly final: boolean;
}

interface FigureRow {
  dimension: string;
  member: string;
  indicator: string;
  ytd: string;
  month: string | null;
}

interface InputRow {
  uscc: string;
  filing_id: string;
  revision: number;
  verdict: number;
  members: Record<string, string | string[] | null>;
}

/**
 * Rolls up one park's period: attributes enterprises by the roster on the period's last day, computes
 * year-to-date, single-month and comparable last-year figures for every dimension member, with
 * completeness, from one consistent snapshot of the facts. Records exactly which filing revisions the
 * figures came from; when a final figure changes, publishes aggregate.revised.v1 naming the revisions.
 */
@Injectable()
export class RollupService {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async rollUp(
    parkCode: string,
    formId: string,
    period: string,
    trigger: RollupTrigger,
    rollupId: string = randomUUID(),
    onProgress?: (percent: number) => Promise<void>,
  ): Promise<RollupResult> {
    const form = formVersionFor(formId, period);
    if (!form) throw new Error(`no form ${formId} for ${period}`);
    const p = parsePeriod(period, form.periodType);
    const final = this.clock.now() >= scheduleFor(form, p).graceEndsAt;
    const em = this.orm.em.fork();
    await em.execute(
      'INSERT INTO rollup_run (id, park_code, form_id, period, trigger, final, state) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      [rollupId, parkCode, formId, period, trigger, final, 'running'],
    );
    try {
      // One roll-up or delta per (form, period, park) at a time: the advisory locks serialise them, so each
      // statement reads committed data no one else is changing and READ COMMITTED is consistent here.
      const result = await em.transactional(
        async (tx) => {
          await lockRoster(tx, 'read');
          await lockFigures(
            tx,
            (parkCode === 'all' ? parkCodes() : [parkCode]).map((park) => `${formId}|${period}|${park}`),
          );
          return this.compute(
            tx,
            { form, parkCode, period, month: p.type === 'month' ? p.month : null, final, rollupId, trigger },
            onProgress,
          );
        },
        { isolationLevel: IsolationLevel.READ_COMMITTED },
      );
      return result;
    } catch (error) {
      this.logger.error({ err: error, rollupId, parkCode, formId, period }, 'roll-up failed');
      await em.execute(`UPDATE rollup_run SET state = 'failed', error = ?, finished_at = now() WHERE id = ?`, [
        String((error as Error).message).slice(0, 2000),
        rollupId,
      ]);
      throw error;
    }
  }

  private async compute(
    em: EntityManager,
    job: {
      form: FormVersion;
      parkCode: string;
      period: string;
      month: number | null;
      final: boolean;
      rollupId: string;
      trigger: RollupTrigger;
    },
    onProgress?: (percent: number) => Promise<void>,
  ): Promise<RollupResult> {
    const { form, period } = job;
    // "all" rolls up every park in one set-based pass: the same statements, amortised over the zone.
    const parks = JSON.stringify(job.parkCode === 'all' ? parkCodes() : [job.parkCode]);
    const p = parsePeriod(period, form.periodType);
    const end = periodBounds(p).end;
    const previous = job.month ? (previousMonthInYear(p)?.text ?? null) : null;
    const lastYear = sameMonthLastYear(p).text;
    const target = `form_id = '${form.formId}' AND period = '${period}' AND park_code IN (SELECT jsonb_array_elements_text('${parks}'::jsonb))`;

    // Who belongs to the parks on the period's last day, with every dimension they count under.
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
      [end, end, form.formId, end, end, form.formId, period, end, end, parks, end, end],
    );
    const kinds = form.indicators.map((i) => `('${i.code}', '${i.kind}')`).join(', ');
    await em.execute(
      `CREATE TEMP TABLE rollup_rows ON COMMIT DROP AS
       SELECT m.*, c.indicator, c.value AS ytd, c.filing_id, c.revision, c.verdict,
              CASE WHEN ?::int IS NULL THEN NULL
                   WHEN k.kind = 'stock' OR ?::int = 1 THEN c.value
                   WHEN pm.value IS NULL THEN NULL
                   WHEN k.kind = 'average' THEN ?::int * c.value - (?::int - 1) * pm.value
                   ELSE c.value - pm.value END AS month_value,
              ly.value AS ly_value
         FROM rollup_members m
         JOIN fact c ON c.form_id = ? AND c.period = ? AND c.uscc = m.uscc
         JOIN (VALUES ${kinds}) AS k(indicator, kind) ON k.indicator = c.indicator
         LEFT JOIN fact pm ON pm.form_id = c.form_id AND pm.period = ? AND pm.uscc = c.uscc AND pm.indicator = c.indicator
         LEFT JOIN fact ly ON ly.form_id = c.form_id AND ly.period = ? AND ly.uscc = c.uscc AND ly.indicator = c.indicator`,
      [job.month, job.month, job.month, job.month, form.formId, period, previous, lastYear],
    );
    await onProgress?.(30);

    const figureColumns = `park_code, indicator, sum(ytd) AS ytd, sum(month_value) AS month,
      sum(ytd) FILTER (WHERE ly_value IS NOT NULL) AS comparable_ytd, sum(ly_value) AS last_year_ytd,
      count(*) AS enterprises, count(month_value) AS month_enterprises, count(ly_value) AS ly_enterprises`;
    const newFigures = DIMENSIONS.map((d) =>
      memberSelect(d, 'rollup_rows', figureColumns, 'park_code, indicator'),
    ).join(' UNION ALL ');
    await em.execute(`CREATE TEMP TABLE rollup_figures ON COMMIT DROP AS ${newFigures}`);
    await onProgress?.(60);

    // Reconciliation: the figures the deltas maintain must equal this recomputation; any difference is a defect.
    // Only park-periods already maintained are compared (the others start being maintained here).
    const scopedRows = await em.execute<{ park_code: string }[]>(`SELECT park_code FROM figure_scope WHERE ${target}`);
    const scoped = JSON.stringify(scopedRows.map((r) => r.park_code));
    const inScoped = (column: string) => `${column} IN (SELECT jsonb_array_elements_text('${scoped}'::jsonb))`;
    const defects = await em.execute<
      {
        park_code: string;
        dimension: string;
        member: string;
        indicator: string;
        live: string | null;
        recomputed: string | null;
      }[]
    >(
      `SELECT coalesce(n.park_code, o.park_code) AS park_code, coalesce(n.dimension, o.dimension) AS dimension,
              coalesce(n.member, o.member) AS member, coalesce(n.indicator, o.indicator) AS indicator,
              o.ytd::text AS live, n.ytd::text AS recomputed
         FROM rollup_figures n
         FULL JOIN (SELECT * FROM figure WHERE ${target} AND enterprises > 0) o
           ON o.park_code = n.park_code AND o.dimension = n.dimension AND o.member = n.member AND o.indicator = n.indicator
        WHERE ${inScoped('coalesce(n.park_code, o.park_code)')}
          AND (n.ytd, n.month, n.comparable_ytd, n.last_year_ytd, n.enterprises, n.month_enterprises, n.ly_enterprises)
              IS DISTINCT FROM (o.ytd, o.month, o.comparable_ytd, o.last_year_ytd, o.enterprises, o.month_enterprises, o.ly_enterprises)`,
    );
    if (defects.length > 0)
      this.logger.error(
        { parkCode: job.parkCode, formId: form.formId, period, defects: defects.length, sample: defects.slice(0, 5) },
        'DEFECT: incrementally maintained figures differ from the recomputation; repaired',
      );

    // Revisions are only published for figures already final, against the values published then.
    const [{ was_final: wasFinal }] = await em.execute<{ was_final: boolean | null }[]>(
      `SELECT bool_or(final) AS was_final FROM figure WHERE ${target}`,
    );
    const changed = !wasFinal
      ? []
      : await em.execute<
          (FigureRow & {
            park_code: string;
            old_ytd: string | null;
            old_month: string | null;
            old_final: boolean | null;
          })[]
        >(
          `SELECT coalesce(n.park_code, o.park_code) AS park_code, coalesce(n.dimension, o.dimension) AS dimension, coalesce(n.member, o.member) AS member,
                  coalesce(n.indicator, o.indicator) AS indicator, n.ytd::text AS ytd, n.month::text AS month,
                  CASE WHEN o.final THEN o.final_ytd ELSE o.ytd END::text AS old_ytd,
                  CASE WHEN o.final THEN o.final_month ELSE o.month END::text AS old_month, o.final AS old_final
             FROM rollup_figures n
             FULL JOIN (SELECT * FROM figure WHERE ${target}) o
               ON o.park_code = n.park_code AND o.dimension = n.dimension AND o.member = n.member AND o.indicator = n.indicator
            WHERE n.ytd IS DISTINCT FROM CASE WHEN o.final THEN o.final_ytd ELSE o.ytd END
               OR n.month IS DISTINCT FROM CASE WHEN o.final THEN o.final_month ELSE o.month END`,
        );
    const oldInputs =
      changed.length === 0
        ? []
        : await em.execute<(InputRow & { park_code: string })[]>(
            `SELECT park_code, uscc, filing_id, revision, verdict, members FROM rollup_input WHERE ${target}`,
          );

    await this.repairFigures(em, target, job);
    const completenessColumns = `park_code, count(*) FILTER (WHERE in_scope) AS expected, count(*) FILTER (WHERE in_scope AND filed) AS filed,
      count(*) FILTER (WHERE in_scope AND accepted) AS accepted, count(*) AS members`;
    await em.execute(
      `CREATE TEMP TABLE rollup_completeness ON COMMIT DROP AS
       SELECT park_code, dimension, member, expected, filed, accepted, members
         FROM (${DIMENSIONS.map((d) => memberSelect(d, 'rollup_members', completenessColumns, 'park_code')).join(' UNION ALL ')}) c`,
    );
    const completenessColumnList = 'park_code, dimension, member, expected, filed, accepted, members';
    const [{ n: completenessDefects }] = await em.execute<{ n: string }[]>(
      `SELECT count(*) AS n FROM (
         (SELECT ${completenessColumnList} FROM completeness WHERE ${target} EXCEPT SELECT ${completenessColumnList} FROM rollup_completeness)
         UNION ALL
         (SELECT ${completenessColumnList} FROM rollup_completeness EXCEPT SELECT ${completenessColumnList} FROM completeness WHERE ${target})) d
        WHERE ${inScoped('d.park_code')}`,
    );
    await em.execute(`DELETE FROM completeness WHERE ${target}`);
    await em.execute(
      `INSERT INTO completeness (park_code, form_id, period, dimension, member, expected, filed, accepted, members)
       SELECT park_code, ?, ?, dimension, member, expected, filed, accepted, members FROM rollup_completeness`,
      [form.formId, period],
    );
    const stale = await this.repairInputs(em, form.formId, period, parks, scoped);
    const defectCount = defects.length + Number(completenessDefects) + stale.count;
    if (defectCount > defects.length)
      this.logger.error(
        {
          parkCode: job.parkCode,
          formId: form.formId,
          period,
          completenessDefects,
          staleInputs: stale.count,
          sample: stale.sample,
        },
        'DEFECT: incrementally maintained completeness or inputs differ from the recomputation; repaired',
      );
    await em.execute(`DELETE FROM rollup_input WHERE ${target}`);
    await em.execute(
      `INSERT INTO rollup_input (park_code, form_id, period, uscc, filing_id, revision, verdict, members)
       SELECT DISTINCT ON (r.uscc) r.park_code, ?, ?, r.uscc, r.filing_id, r.revision, r.verdict,
              jsonb_build_object('park', r.park_code, 'subPark', r.sub_park_code, 'carrier', r.carrier_code, 'district', r.registered_district,
                                 'street', r.street_code, 'section', r.section, 'division', r.division, 'industryTag', to_jsonb(r.industry_tags),
                                 'qualification', to_jsonb(r.qualifications))
         FROM rollup_rows r ORDER BY r.uscc`,
      [form.formId, period],
    );
    // Rolled up: what was pending for these park-periods before this transaction began is done.
    await em.execute(`DELETE FROM rollup_pending WHERE ${target} AND requested_at <= now()`);
    const newInputs =
      changed.length === 0
        ? []
        : await em.execute<(InputRow & { park_code: string })[]>(
            `SELECT park_code, uscc, filing_id, revision, verdict, members FROM rollup_input WHERE ${target}`,
          );
    await onProgress?.(85);

    // Per park, the cut-off: how many filing revisions, the newest verdict among them, and a hash of the exact list.
    const cutoffs = await em.execute<
      { park_code: string; filings: string; last_validated_at: string | null; facts_hash: string; figures: string }[]
    >(
      `SELECT p.park_code, count(i.uscc) AS filings, max(v.validated_at) AS last_validated_at,
              encode(sha256(convert_to(coalesce(string_agg(i.uscc || ':' || i.filing_id || ':' || i.revision || ':' || i.verdict, E'\n' ORDER BY i.uscc), ''), 'UTF8')), 'hex') AS facts_hash,
              (SELECT count(*) FROM rollup_figures f WHERE f.park_code = p.park_code) AS figures
         FROM jsonb_array_elements_text(?::jsonb) AS p(park_code)
         LEFT JOIN rollup_input i ON i.form_id = ? AND i.period = ? AND i.park_code = p.park_code
         LEFT JOIN verdict v ON v.filing_id = i.filing_id AND v.revision = i.revision AND v.verdict = i.verdict
        GROUP BY p.park_code`,
      [parks, form.formId, period],
    );
    // Only a figure already published as final is "revised"; provisional figures of an open period just update.
    const revisedEvents = cutoffs.flatMap((cutoff) =>
      this.revisedEvents(
        changed.filter((row) => row.old_final === true && row.park_code === cutoff.park_code),
        oldInputs.filter((i) => i.park_code === cutoff.park_code),
        newInputs.filter((i) => i.park_code === cutoff.park_code),
        { rollupId: job.rollupId, parkCode: cutoff.park_code, formId: form.formId, period },
      ),
    );
    const completedAt = this.clock.now().toISOString();
    // Parks without members or figures have nothing to announce when rolled up as part of "all".
    const announced = cutoffs.filter((cutoff) => job.parkCode !== 'all' || Number(cutoff.figures) > 0);
    await this.outbox.addAll(em, [
      ...revisedEvents.map((payload) => ({
        topic: 'aggregate.revised.v1' as const,
        key: payload.parkCode,
        payload,
        correlationId: job.rollupId,
      })),
      ...announced.map((cutoff) => ({
        topic: 'aggregate.rolledup.v1' as const,
        key: cutoff.park_code,
        correlationId: job.rollupId,
        payload: {
          rollupId: job.rollupId,
          parkCode: cutoff.park_code,
          formId: form.formId,
          period,
          trigger: job.trigger,
          cutoff: {
            filings: Number(cutoff.filings),
            lastVerdictAt: cutoff.last_validated_at ? new Date(cutoff.last_validated_at).toISOString() : null,
            factsHash: cutoff.facts_hash,
          },
          figures: Number(cutoff.figures),
          revisedFigures: revisedEvents.filter((r) => r.parkCode === cutoff.park_code).length,
          completedAt,
        },
      })),
    ]);
    const figures = cutoffs.reduce((sum, c) => sum + Number(c.figures), 0);
    const filings = cutoffs.reduce((sum, c) => sum + Number(c.filings), 0);
    const factsHash = job.parkCode === 'all' ? null : (cutoffs[0]?.facts_hash ?? null);
    const lastValidatedAt =
      cutoffs
        .map((c) => c.last_validated_at)
        .filter(Boolean)
        .sort()
        .pop() ?? null;
    await em.execute(
      `UPDATE rollup_run SET state = 'completed', figures = ?, revised_figures = ?, facts_hash = ?, filings = ?, last_validated_at = ?, defects = ?, finished_at = clock_timestamp() WHERE id = ?`,
      [figures, revisedEvents.length, factsHash, filings, lastValidatedAt, defectCount, job.rollupId],
    );
    this.logger.debug(
      { parkCode: job.parkCode, formId: form.formId, period, figures, revised: revisedEvents.length },
      'rolled up',
    );
    return { rollupId: job.rollupId, figures, revisedFigures: revisedEvents.length, filings, final: job.final };
  }

  /** The served figures become the recomputation: only rows that differ are written; a final roll-up marks all final. */
  private async repairFigures(
    em: EntityManager,
    target: string,
    job: { form: FormVersion; period: string; rollupId: string; final: boolean },
  ): Promise<void> {
    await em.execute(
      `DELETE FROM figure f WHERE ${target} AND NOT EXISTS (
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
      [job.form.formId, job.period, job.rollupId],
    );
    if (job.final)
      await em.execute(
        `UPDATE figure SET final = true, final_ytd = ytd, final_month = month, rollup_id = ? WHERE ${target}`,
        [job.rollupId],
      );
  }

  /**
   * The per-enterprise state the deltas start from (attribution, completeness flags, contributions) becomes
   * the recomputation's, for every enterprise of these parks; the park-periods are maintained from now on.
   */
  private async repairInputs(
    em: EntityManager,
    formId: string,
    period: string,
    parks: string,
    scoped: string,
  ): Promise<{ count: number; sample: unknown[] }> {
    await em.execute(
      `INSERT INTO figure_scope (form_id, period, park_code) SELECT ?, ?, p FROM jsonb_array_elements_text(?::jsonb) AS p ON CONFLICT DO NOTHING`,
      [formId, period, parks],
    );
    await em.execute(
      `CREATE TEMP TABLE rollup_new_input ON COMMIT DROP AS
       SELECT ?::text AS form_id, ?::text AS period, m.uscc, m.park_code, m.sub_park_code, m.carrier_code, m.registered_district, m.street_code,
              m.section, m.division, m.industry_tags, m.qualifications, m.in_scope, m.filed, m.accepted, r.filing_id, r.revision, r.verdict
         FROM (SELECT DISTINCT ON (uscc) * FROM rollup_members ORDER BY uscc, park_code) m
         LEFT JOIN (SELECT DISTINCT ON (uscc) uscc, filing_id, revision, verdict FROM rollup_rows ORDER BY uscc) r USING (uscc)`,
      [formId, period],
    );
    await em.execute(
      `CREATE TEMP TABLE rollup_affected ON COMMIT DROP AS
       SELECT uscc FROM rollup_new_input
       UNION SELECT uscc FROM figure_input WHERE form_id = ? AND period = ? AND park_code IN (SELECT jsonb_array_elements_text(?::jsonb))`,
      [formId, period, parks],
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
       UNION SELECT coalesce(n.uscc, o.uscc) FROM (SELECT DISTINCT ON (uscc, indicator) uscc, indicator, ytd, month_value, ly_value FROM rollup_rows ORDER BY uscc, indicator) n
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

  private revisedEvents(
    changed: readonly (FigureRow & { old_ytd: string | null; old_month: string | null })[],
    oldInputs: readonly InputRow[],
    newInputs: readonly InputRow[],
    at: { rollupId: string; parkCode: string; formId: FormId; period: string },
  ): AggregateRevised[] {
    const before = new Map(oldInputs.map((i) => [i.uscc, i]));
    const after = new Map(newInputs.map((i) => [i.uscc, i]));
    const movedInputs = [...new Set([...before.keys(), ...after.keys()])]
      .filter((uscc) => {
        const o = before.get(uscc);
        const n = after.get(uscc);
        return (
          !o ||
          !n ||
          o.filing_id !== n.filing_id ||
          o.revision !== n.revision ||
          o.verdict !== n.verdict ||
          JSON.stringify(o.members) !== JSON.stringify(n.members)
        );
      })
      .map((uscc) => (after.get(uscc) ?? before.get(uscc))!);
    const revisedAt = this.clock.now().toISOString();
    const events: AggregateRevised[] = [];
    for (const row of changed) {
      const causedBy = movedInputs
        .filter(
          (input) =>
            belongsTo(input, row.dimension, row.member) || belongsTo(before.get(input.uscc), row.dimension, row.member),
        )
        .map((input) => ({ uscc: input.uscc, filingId: input.filing_id, revision: input.revision }));
      for (const measure of ['ytd', 'month'] as const) {
        const oldValue = measure === 'ytd' ? row.old_ytd : row.old_month;
        const newValue = measure === 'ytd' ? row.ytd : row.month;
        if (oldValue === newValue) continue;
        events.push({
          ...at,
          dimension: row.dimension,
          member: row.member,
          indicator: row.indicator,
          measure,
          oldValue: normalize(oldValue),
          newValue: normalize(newValue),
          causedBy,
          revisedAt,
        });
      }
    }
    return events;
  }
}

function parkCodes(): string[] {
  return zoneParks().map((park) => park.code);
}

function belongsTo(input: InputRow | undefined, dimension: string, member: string): boolean {
  const value = input?.members[dimension];
  return Array.isArray(value) ? value.includes(member) : value === member;
}

/** NUMERIC text as canonical decimal text ("1200.500" → "1200.5"). */
function normalize(value: string | null): string | null {
  if (value === null) return null;
  if (!value.includes('.')) return value;
  return value.replace(/0+$/, '').replace(/\.$/, '');
}
