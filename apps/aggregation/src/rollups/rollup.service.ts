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
      const result = await em.transactional(
        (tx) =>
          this.compute(
            tx,
            { form, parkCode, period, month: p.type === 'month' ? p.month : null, final, rollupId, trigger },
            onProgress,
          ),
        { isolationLevel: IsolationLevel.REPEATABLE_READ },
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
      count(*) AS enterprises, count(month_value) AS month_enterprises`;
    const newFigures = DIMENSIONS.map((d) =>
      memberSelect(d, 'rollup_rows', figureColumns, 'park_code, indicator'),
    ).join(' UNION ALL ');
    await em.execute(`CREATE TEMP TABLE rollup_figures ON COMMIT DROP AS ${newFigures}`);
    await onProgress?.(60);

    // Revisions are only published for figures already final; provisional ones just update, so skip the diff.
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
                  coalesce(n.indicator, o.indicator) AS indicator, n.ytd::text AS ytd, n.month::text AS month, o.ytd::text AS old_ytd, o.month::text AS old_month, o.final AS old_final
             FROM rollup_figures n
             FULL JOIN (SELECT * FROM figure WHERE ${target}) o
               ON o.park_code = n.park_code AND o.dimension = n.dimension AND o.member = n.member AND o.indicator = n.indicator
            WHERE n.ytd IS DISTINCT FROM o.ytd OR n.month IS DISTINCT FROM o.month`,
        );
    const oldInputs =
      changed.length === 0
        ? []
        : await em.execute<(InputRow & { park_code: string })[]>(
            `SELECT park_code, uscc, filing_id, revision, verdict, members FROM rollup_input WHERE ${target}`,
          );

    await em.execute(`DELETE FROM figure WHERE ${target}`);
    await em.execute(
      `INSERT INTO figure (park_code, form_id, period, dimension, member, indicator, ytd, month, comparable_ytd, last_year_ytd, enterprises, month_enterprises, rollup_id, final)
       SELECT park_code, ?, ?, dimension, member, indicator, ytd, month, comparable_ytd, last_year_ytd, enterprises, month_enterprises, ?, ? FROM rollup_figures`,
      [form.formId, period, job.rollupId, job.final],
    );
    const completenessColumns = `park_code, count(*) FILTER (WHERE in_scope) AS expected, count(*) FILTER (WHERE in_scope AND filed) AS filed,
      count(*) FILTER (WHERE in_scope AND accepted) AS accepted`;
    await em.execute(`DELETE FROM completeness WHERE ${target}`);
    await em.execute(
      `INSERT INTO completeness (park_code, form_id, period, dimension, member, expected, filed, accepted)
       SELECT park_code, ?, ?, dimension, member, expected, filed, accepted FROM (${DIMENSIONS.map((d) => memberSelect(d, 'rollup_members', completenessColumns, 'park_code')).join(' UNION ALL ')}) c`,
      [form.formId, period],
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
      `UPDATE rollup_run SET state = 'completed', figures = ?, revised_figures = ?, facts_hash = ?, filings = ?, last_validated_at = ?, finished_at = clock_timestamp() WHERE id = ?`,
      [figures, revisedEvents.length, factsHash, filings, lastValidatedAt, job.rollupId],
    );
    this.logger.debug(
      { parkCode: job.parkCode, formId: form.formId, period, figures, revised: revisedEvents.length },
      'rolled up',
    );
    return { rollupId: job.rollupId, figures, revisedFigures: revisedEvents.length, filings, final: job.final };
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
