import { normalizeDecimal, park, streetTown, subPark, type FormVersion, type IndicatorDefinition } from '@huoju/domain';
import type { ExportRow, ExportSubject } from './export-row';

/** Excel keeps 15 significant decimal digits; beyond that a number cell would not show what was filed. */
const EXCEL_SIGNIFICANT_DIGITS = 15;
/** Already canonical (no leading zeros, no trailing fraction zeros): skips the exact re-formatting. */
const CANONICAL = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;

/**
 * The XLSX cell value for an exact decimal: a number when the double Excel stores prints back as exactly
 * the filed decimal (at most 15 significant digits, no exponent), so sums and charts work; otherwise the
 * decimal as text, so no digit is ever changed. The XML then holds the canonical decimal text either way.
 */
export function xlsxDecimal(text: string): number | string {
  const canonical = canonicalDecimal(text);
  const asNumber = Number(canonical);
  return significantDigits(canonical) <= EXCEL_SIGNIFICANT_DIGITS && String(asNumber) === canonical
    ? asNumber
    : canonical;
}

/** The canonical decimal text; filed values almost always are already, and skip the exact re-formatting. */
export function canonicalDecimal(text: string): string {
  return CANONICAL.test(text) && text !== '-0' ? text : normalizeDecimal(text);
}

/** Digits from the first non-zero one, without sign and point (called for every number cell of an export). */
function significantDigits(canonical: string): number {
  let count = 0;
  let leading = true;
  for (let i = 0; i < canonical.length; i++) {
    const c = canonical.charCodeAt(i);
    if (c < 48 || c > 57) continue; // '-' and '.'
    if (leading && c === 48) continue;
    leading = false;
    count++;
  }
  return count;
}

/** Header of an indicator column, e.g. "营业收入 qc05_0（千元）". */
export function indicatorHeader(indicator: IndicatorDefinition): string {
  return `${indicator.nameZh} ${indicator.code}（${indicator.unit}）`;
}

/** The columns before the indicators, on the enterprise sheet and in the CSV. */
export const ENTERPRISE_COLUMNS = [
  '统一社会信用代码',
  '企业名称',
  '园区代码',
  '园区',
  '分园代码',
  '分园',
  '街镇代码',
  '街镇',
  '行业代码',
] as const;

export function enterpriseHeader(form: FormVersion): string[] {
  return [...ENTERPRISE_COLUMNS, ...form.indicators.map(indicatorHeader)];
}

/** The descriptive cells of an enterprise row (codes and the names the reference data gives them). */
export function enterpriseCells(row: ExportRow, subject: ExportSubject): string[] {
  return [
    row.uscc,
    row.nameZh,
    row.parkCode,
    park(row.parkCode)?.nameZh ?? '',
    row.subParkCode,
    subPark(row.subParkCode)?.nameZh ?? '',
    row.streetCode ?? '',
    row.streetCode ? streetName(row.streetCode, subject.period.year) : '',
    row.industryCode,
  ];
}

/**
 * What a summary figure means for each kind of indicator: monthly forms report 1–N月 year-to-date, so flows
 * and counts are YTD sums; stocks are period-end levels summed across enterprises; averages are summed
 * across enterprises (the park's average headcount), never over months.
 */
export function measureLabel(indicator: IndicatorDefinition, form: FormVersion): string {
  const monthly = form.periodType === 'month';
  switch (indicator.kind) {
    case 'flow':
    case 'count':
      return monthly ? '1—N月累计 YTD' : '全年累计 year';
    case 'stock':
      return monthly ? '期末数 end of month' : '年末数 end of year';
    case 'average':
      return monthly ? '1—N月平均 YTD average' : '全年平均 year average';
  }
}

// streetTown() scans the year's list; an export names the same few hundred streets hundreds of thousands of times.
const streetNames = new Map<string, string>();

function streetName(code: string, year: number): string {
  const key = `${year}:${code}`;
  let name = streetNames.get(key);
  if (name === undefined) streetNames.set(key, (name = streetTown(code, year)?.nameZh ?? ''));
  return name;
}
