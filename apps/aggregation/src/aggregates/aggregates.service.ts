import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { DEFAULT_FORM_ID, formVersionFor, formatDecimal, parseDecimal, percent } from '@huoju/domain';
import {
  assertInScope,
  assertQueryInScope,
  forbidden,
  queryScope,
  validationProblem,
  type FieldError,
  type Principal,
} from '@huoju/platform';
import { DIMENSIONS, isDimensionName } from '../rollups/rollup-dimensions';
import { AggregatesQuery } from './aggregates.query';
import { memberName } from './member-names';

export type Measure = 'ytd' | 'month' | 'yoy';
const MEASURES: readonly Measure[] = ['ytd', 'month', 'yoy'];

export interface AggregateQuery {
  readonly formId?: string;
  readonly period?: string;
  readonly indicator?: string;
  readonly groupBy?: string;
  readonly measure?: string;
  readonly park?: string;
}

export interface AggregateRow {
  readonly member: string;
  readonly memberName: string | null;
  readonly indicator: string;
  readonly measure: Measure;
  /** Exact decimal text; null when not derivable (a month without the previous month's filing, growth without last year). */
  readonly value: string | null;
  readonly enterprises: number;
  readonly expected: number;
  readonly filed: number;
  readonly accepted: number;
  /** True when every park in the row has rolled up this period as final (grace period over). */
  readonly final: boolean;
}

/**
 * The figures the commission, parks and streets read: rolled-up rows summed across parks where a member
 * spans several (the zone, a street, an industry). Year-on-year growth is computed on the comparable basis
 * (enterprises that filed in both years), from the sums, never by averaging percentages.
 */
@Injectable()
export class AggregatesService {
  constructor(
    private readonly orm: MikroORM,
    private readonly figureRows: AggregatesQuery,
  ) {}

  async figures(
    query: AggregateQuery,
    principal: Principal,
  ): Promise<{ formId: string; period: string; groupBy: string; measure: Measure; rows: AggregateRow[] }> {
    const { formId, period, groupBy, measure, indicator } = this.check(query);
    const { parks, streets } = visibleFigures(principal, query.park, groupBy);
    const rows = await this.figureRows.figures(this.orm.em.fork(), {
      formId,
      period,
      dimension: groupBy === 'zone' ? 'park' : groupBy,
      zone: groupBy === 'zone',
      parks,
      streets,
      indicator,
    });
    return {
      formId,
      period,
      groupBy,
      measure,
      rows: rows.map((row) => ({
        member: row.member,
        memberName: memberName(groupBy, row.member),
        indicator: row.indicator,
        measure,
        value: valueOf(measure, row),
        enterprises: Number(measure === 'month' ? row.month_enterprises : row.enterprises),
        expected: Number(row.expected ?? 0),
        filed: Number(row.filed ?? 0),
        accepted: Number(row.accepted ?? 0),
        final: row.final,
      })),
    };
  }

  /** The enterprises and filing revisions one served figure was computed from, with each one's value. */
  async provenance(query: AggregateQuery & { member?: string }, principal: Principal) {
    const { formId, period, groupBy } = this.check({ ...query, measure: 'ytd' });
    if (!query.member || !query.indicator) {
      throw validationProblem([
        {
          pointer: '/member',
          code: 'PROVENANCE.CELL',
          messageZh: '请指定 member 和 indicator',
          messageEn: 'Name the cell: member and indicator',
        },
      ]);
    }
    const { parks, streets } = visibleFigures(principal, query.park, groupBy);
    const dimension = groupBy === 'zone' ? 'park' : groupBy;
    // A cell of another's street or park is refused, not answered with nobody behind the figure.
    if (streets) assertInScope(principal, 'street', query.member);
    if (dimension === 'park') assertQueryInScope(principal, { park: query.member });
    const column = DIMENSIONS.find((d) => d.name === dimension)!;
    const rows = await this.figureRows.provenance(this.orm.em.fork(), {
      formId,
      period,
      indicator: query.indicator,
      member: groupBy === 'zone' ? undefined : query.member,
      column,
      parks,
    });
    const contributing = rows.filter((row) => row.value !== null);
    return {
      formId,
      period,
      dimension: groupBy,
      member: query.member,
      indicator: query.indicator,
      total: formatDecimal(contributing.reduce((sum, row) => sum + parseDecimal(normalizeNumeric(row.value)), 0n)),
      filings: contributing.map((row) => ({
        uscc: row.uscc,
        nameZh: row.name_zh,
        parkCode: row.park_code,
        filingId: row.filing_id,
        revision: row.revision,
        verdict: row.verdict,
        receiptSha256: row.content_sha256,
        value: normalizeNumeric(row.value),
      })),
    };
  }

  private check(query: AggregateQuery): {
    formId: string;
    period: string;
    groupBy: string;
    measure: Measure;
    indicator?: string;
  } {
    const errors: FieldError[] = [];
    const formId = query.formId ?? DEFAULT_FORM_ID;
    const period = query.period ?? '';
    const form = formVersionFor(formId, period);
    if (!form)
      errors.push({
        pointer: '/period',
        code: 'AGGREGATE.PERIOD',
        messageZh: `报表 ${formId} 没有报告期 ${period}`,
        messageEn: `Form ${formId} has no period ${period}`,
      });
    const groupBy = query.groupBy ?? 'park';
    if (groupBy !== 'zone' && !isDimensionName(groupBy)) {
      errors.push({
        pointer: '/groupBy',
        code: 'AGGREGATE.GROUP_BY',
        messageZh: `不支持的分组 ${groupBy}`,
        messageEn: `Unknown groupBy ${groupBy} (zone, park, subPark, carrier, district, street, section, division, industryTag, qualification)`,
      });
    }
    const measure = (query.measure ?? 'ytd') as Measure;
    if (!MEASURES.includes(measure))
      errors.push({
        pointer: '/measure',
        code: 'AGGREGATE.MEASURE',
        messageZh: 'measure 须为 ytd、month 或 yoy',
        messageEn: 'measure is ytd, month or yoy',
      });
    if (measure === 'month' && form?.periodType === 'year')
      errors.push({
        pointer: '/measure',
        code: 'AGGREGATE.MEASURE',
        messageZh: '年报没有当月值',
        messageEn: 'An annual form has no single-month measure',
      });
    if (query.indicator && form && !form.indicators.some((i) => i.code === query.indicator)) {
      errors.push({
        pointer: '/indicator',
        code: 'AGGREGATE.INDICATOR',
        messageZh: `本报表没有指标 ${query.indicator}`,
        messageEn: `The form has no indicator ${query.indicator}`,
      });
    }
    if (errors.length > 0) throw validationProblem(errors);
    return { formId, period, groupBy, measure, indicator: query.indicator };
  }
}

/**
 * The figures a caller may read, by the one scope policy: a park team its parks (another park named →
 * 403), a street team its streets' rows and only grouped by street, the commission everything.
 * undefined = no restriction on that axis.
 */
function visibleFigures(
  principal: Principal,
  requestedPark: string | undefined,
  groupBy: string,
): { parks?: readonly string[]; streets?: readonly string[] } {
  const visible = queryScope(principal, { park: requestedPark });
  switch (visible.kind) {
    case 'all':
      return {};
    case 'park':
      return { parks: visible.codes };
    case 'street':
      if (groupBy !== 'street') throw forbidden('Street teams read figures grouped by street, for their own streets.');
      return { streets: visible.codes };
    case 'uscc':
      throw forbidden('Aggregates are for street and park teams and the commission.');
  }
}

function valueOf(
  measure: Measure,
  row: { ytd: string; month: string | null; comparable: string | null; last_year: string | null },
): string | null {
  switch (measure) {
    case 'ytd':
      return normalizeNumeric(row.ytd);
    case 'month':
      return row.month === null ? null : normalizeNumeric(row.month);
    case 'yoy': {
      if (row.comparable === null || row.last_year === null) return null;
      const lastYear = parseDecimal(normalizeNumeric(row.last_year));
      if (lastYear === 0n) return null;
      const growth = percent(
        parseDecimal(normalizeNumeric(row.comparable)) - lastYear,
        lastYear < 0n ? -lastYear : lastYear,
        2,
      );
      return growth === null ? null : formatDecimal(growth);
    }
  }
}

/** PostgreSQL NUMERIC text ("1200.500", "-0.000") as canonical decimal text. */
export function normalizeNumeric(value: string): string {
  return formatDecimal(parseDecimal(value));
}
