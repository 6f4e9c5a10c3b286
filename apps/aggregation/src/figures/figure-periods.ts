import {
  formVersionFor,
  monthPeriod,
  parsePeriod,
  periodBounds,
  previousMonthInYear,
  sameMonthLastYear,
  yearPeriod,
  type Period,
} from '@huoju/domain';

/** One enterprise's period of one form: the unit figures are maintained in. */
export interface PeriodKey {
  readonly uscc: string;
  readonly formId: string;
  readonly period: string;
}

/** A key with what its contribution is computed from: the roster day and the periods it is compared with. */
export interface KeyContext extends PeriodKey {
  readonly periodEnd: string;
  /** The month number of a monthly period (January stands alone); null for an annual one (no month measure). */
  readonly month: number | null;
  readonly previous: string | null;
  readonly lastYear: string;
}

function periodOf(formId: string, period: string): Period | undefined {
  const form = formVersionFor(formId, period);
  return form ? parsePeriod(period, form.periodType) : undefined;
}

/**
 * The keys whose contributions read a fact of `key`: its own period, the next month of the same year (its
 * single-month value is this month's YTD subtracted from the next), and the same period a year later (its
 * comparable last-year value). Periods without a form version are left out.
 */
export function keysReading(key: PeriodKey): PeriodKey[] {
  const p = periodOf(key.formId, key.period);
  if (!p) return [];
  const readers: Period[] = [p, p.type === 'month' ? monthPeriod(p.year + 1, p.month) : yearPeriod(p.year + 1)];
  if (p.type === 'month' && p.month < 12) readers.push(monthPeriod(p.year, p.month + 1));
  return readers
    .filter((reader) => formVersionFor(key.formId, reader.text))
    .map((reader) => ({ uscc: key.uscc, formId: key.formId, period: reader.text }));
}

export function keyContext(key: PeriodKey): KeyContext | undefined {
  const p = periodOf(key.formId, key.period);
  if (!p) return undefined;
  return {
    ...key,
    periodEnd: periodBounds(p).end,
    month: p.type === 'month' ? p.month : null,
    previous: previousMonthInYear(p)?.text ?? null,
    lastYear: sameMonthLastYear(p).text,
  };
}

/** Each indicator's kind per form and period, as SQL VALUES rows' data (flows and stocks differ in `month`). */
export function indicatorKinds(
  keys: readonly PeriodKey[],
): { form_id: string; period: string; indicator: string; kind: string }[] {
  const seen = new Set<string>();
  const kinds: { form_id: string; period: string; indicator: string; kind: string }[] = [];
  for (const key of keys) {
    const id = `${key.formId}|${key.period}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const form = formVersionFor(key.formId, key.period);
    for (const indicator of form?.indicators ?? [])
      kinds.push({ form_id: key.formId, period: key.period, indicator: indicator.code, kind: indicator.kind });
  }
  return kinds;
}

export function uniquePeriodKeys(keys: Iterable<PeriodKey>): PeriodKey[] {
  const unique = new Map<string, PeriodKey>();
  for (const k of keys) unique.set(`${k.uscc}|${k.formId}|${k.period}`, k);
  return [...unique.values()];
}
