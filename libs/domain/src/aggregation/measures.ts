import type { IndicatorDefinition } from '../catalog';
import type { Scaled } from '../decimal';

/**
 * One enterprise's figure for a single month, from the year-to-date figures of that month and the one
 * before (monthly forms report 1–N月 cumulatively). January stands alone: year-to-date restarts.
 * - flow and count: YTD(m) − YTD(m−1);
 * - stock: the level at month end, as reported (never a difference, never summed over months);
 * - average: the average over m months weighted back out: m·A(m) − (m−1)·A(m−1).
 * Returns undefined when the previous month is needed but missing: a month value cannot be derived then.
 */
export function singleMonthValue(
  indicator: Pick<IndicatorDefinition, 'kind'>,
  month: number,
  ytd: Scaled,
  previousYtd: Scaled | undefined,
): Scaled | undefined {
  switch (indicator.kind) {
    case 'stock':
      return ytd;
    case 'flow':
    case 'count':
      if (month === 1) return ytd;
      return previousYtd === undefined ? undefined : ytd - previousYtd;
    case 'average':
      if (month === 1) return ytd;
      return previousYtd === undefined ? undefined : BigInt(month) * ytd - BigInt(month - 1) * previousYtd;
  }
}

/**
 * The same formula as SQL over NUMERIC columns, for the set-based roll-up and deltas (the two must never
 * differ: a property test evaluates both). Arguments are SQL expressions: the indicator's kind, the month
 * number (NULL for an annual period: no single month), the YTD value and the previous month's YTD value.
 */
export function singleMonthSql(e: { kind: string; month: string; ytd: string; previousYtd: string }): string {
  return `CASE WHEN ${e.month} IS NULL THEN NULL
                   WHEN ${e.kind} = 'stock' OR ${e.month} = 1 THEN ${e.ytd}
                   WHEN ${e.previousYtd} IS NULL THEN NULL
                   WHEN ${e.kind} = 'average' THEN ${e.month} * ${e.ytd} - (${e.month} - 1) * ${e.previousYtd}
                   ELSE ${e.ytd} - ${e.previousYtd} END`;
}
