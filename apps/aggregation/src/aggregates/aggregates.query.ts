import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Which served figures to read: one dimension of a form's period, optionally only some parks or streets. */
export interface FigureFilter {
  readonly formId: string;
  readonly period: string;
  /** The stored dimension; the zone is read from the park rows. */
  readonly dimension: string;
  /** Sum everything into one member, the zone (ZJ). */
  readonly zone: boolean;
  readonly parks?: readonly string[];
  readonly streets?: readonly string[];
  readonly indicator?: string;
}

export interface FigureSumRow {
  member: string;
  indicator: string;
  ytd: string;
  month: string | null;
  comparable: string | null;
  last_year: string | null;
  enterprises: string;
  month_enterprises: string;
  final: boolean;
  expected: string | null;
  filed: string | null;
  accepted: string | null;
}

/** One served figure's cell: the member (absent for the zone) in the dimension's roster column. */
export interface ProvenanceFilter {
  readonly formId: string;
  readonly period: string;
  readonly indicator: string;
  readonly member?: string;
  readonly column: { readonly column: string; readonly array?: boolean };
  readonly parks?: readonly string[];
}

export interface ProvenanceRow {
  uscc: string;
  name_zh: string;
  park_code: string;
  filing_id: string;
  revision: number;
  verdict: number;
  value: string;
  content_sha256: string;
}

/** The reads behind the figures API (the use case and its scope rules are AggregatesService). */
@Injectable()
export class AggregatesQuery {
  /** Figures summed across parks where a member spans several, with the member's completeness counts. */
  async figures(em: EntityManager, filter: FigureFilter): Promise<FigureSumRow[]> {
    const base = ['f.form_id = ?', 'f.period = ?', 'f.dimension = ?'];
    const baseParams: unknown[] = [filter.formId, filter.period, filter.dimension];
    if (filter.parks) {
      base.push('f.park_code IN (SELECT jsonb_array_elements_text(?::jsonb))');
      baseParams.push(JSON.stringify(filter.parks));
    }
    if (filter.streets) {
      base.push('f.member IN (SELECT jsonb_array_elements_text(?::jsonb))');
      baseParams.push(JSON.stringify(filter.streets));
    }
    // A figure emptied by a late change stays stored only for its revision notice; it is not served.
    const figureConditions = [...base, 'f.enterprises > 0', ...(filter.indicator ? ['f.indicator = ?'] : [])];
    const figureParams = filter.indicator ? [...baseParams, filter.indicator] : baseParams;
    const memberExpression = filter.zone ? `'ZJ'` : 'f.member';
    return em.execute<FigureSumRow[]>(
      `WITH figures AS (
         SELECT ${memberExpression} AS member, f.indicator, sum(f.ytd)::text AS ytd, sum(f.month)::text AS month,
                sum(f.comparable_ytd)::text AS comparable, sum(f.last_year_ytd)::text AS last_year, sum(f.enterprises) AS enterprises,
                sum(f.month_enterprises) AS month_enterprises, bool_and(f.final) AS final
           FROM figure f WHERE ${figureConditions.join(' AND ')} GROUP BY 1, 2
       ), counts AS (
         SELECT ${memberExpression} AS member, sum(f.expected) AS expected, sum(f.filed) AS filed, sum(f.accepted) AS accepted
           FROM completeness f WHERE ${base.join(' AND ')} GROUP BY 1
       )
       SELECT figures.*, counts.expected, counts.filed, counts.accepted FROM figures LEFT JOIN counts USING (member) ORDER BY member, indicator`,
      [...figureParams, ...baseParams],
    );
  }

  /** The inputs of the served figures themselves (kept with every delta), not of the last roll-up. */
  async provenance(em: EntityManager, filter: ProvenanceFilter): Promise<ProvenanceRow[]> {
    const { column, array } = filter.column;
    const memberMatch = filter.member === undefined ? 'true' : array ? `? = ANY(i.${column})` : `i.${column} = ?`;
    const params: unknown[] = [filter.indicator, filter.formId, filter.period];
    if (filter.member !== undefined) params.push(filter.member);
    if (filter.parks) params.push(JSON.stringify(filter.parks));
    return em.execute<ProvenanceRow[]>(
      `SELECT i.uscc, e.name_zh, i.park_code, i.filing_id, i.revision, i.verdict, v."values" ->> ? AS value, v.content_sha256
         FROM figure_input i
         JOIN verdict v USING (filing_id, revision, verdict)
         LEFT JOIN roster_enterprise e ON e.uscc = i.uscc
        WHERE i.form_id = ? AND i.period = ? AND (${memberMatch}) ${filter.parks ? 'AND i.park_code IN (SELECT jsonb_array_elements_text(?::jsonb))' : ''}
        ORDER BY i.uscc`,
      params,
    );
  }
}
