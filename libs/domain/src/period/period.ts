/**
 * Reporting periods and deadlines. Periods are written as users say them: "2026-03" for a month,
 * "2026" for a year. Deadlines are calendar dates in Asia/Shanghai, which has had no daylight saving
 * since 1991, so a fixed +08:00 offset converts them to instants exactly.
 */
export type PeriodType = 'month' | 'year';

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;
const YEAR_PATTERN = /^(\d{4})$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Period {
  readonly type: PeriodType;
  readonly year: number;
  /** 1–12 for a month; 12 for a year (a year ends with December). */
  readonly month: number;
  readonly text: string;
}

export class PeriodFormatError extends Error {
  constructor(
    readonly input: string,
    readonly expected: PeriodType,
  ) {
    super(
      `${JSON.stringify(input)} is not a ${expected} period (expected ${expected === 'month' ? 'YYYY-MM' : 'YYYY'})`,
    );
  }
}

export function parsePeriod(text: string, type: PeriodType): Period {
  const match = (type === 'month' ? MONTH_PATTERN : YEAR_PATTERN).exec(text);
  if (!match) throw new PeriodFormatError(text, type);
  const year = Number(match[1]);
  const month = type === 'month' ? Number(match[2]) : 12;
  return { type, year, month, text };
}

export function monthPeriod(year: number, month: number): Period {
  const text = `${year}-${String(month).padStart(2, '0')}`;
  return { type: 'month', year, month, text };
}

export function yearPeriod(year: number): Period {
  return { type: 'year', year, month: 12, text: String(year) };
}

/** The month before, within the same year (null for January: year-to-date figures restart). */
export function previousMonthInYear(period: Period): Period | null {
  if (period.type !== 'month' || period.month === 1) return null;
  return monthPeriod(period.year, period.month - 1);
}

export function previousMonth(period: Period): Period {
  return period.month === 1 ? monthPeriod(period.year - 1, 12) : monthPeriod(period.year, period.month - 1);
}

export function sameMonthLastYear(period: Period): Period {
  return period.type === 'month' ? monthPeriod(period.year - 1, period.month) : yearPeriod(period.year - 1);
}

export function comparePeriods(a: Period, b: Period): number {
  return a.year - b.year || a.month - b.month;
}

/** The last `count` months ending with `period`, oldest first. */
export function trailingMonths(period: Period, count: number): Period[] {
  const months: Period[] = [];
  let cursor = period;
  for (let i = 0; i < count; i++) {
    months.unshift(cursor);
    cursor = previousMonth(cursor);
  }
  return months;
}

/** First and last calendar day of the period, as YYYY-MM-DD. */
export function periodBounds(period: Period): { start: string; end: string } {
  const firstMonth = period.type === 'year' ? 1 : period.month;
  const start = isoDate(period.year, firstMonth, 1);
  const lastDay = new Date(Date.UTC(period.year, period.month, 0)).getUTCDate();
  return { start, end: isoDate(period.year, period.month, lastDay) };
}

export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Adds calendar months to a date, clamping the day to the month's length (Jan 31 + 1 month → Feb 28). */
export function addMonths(date: string, months: number): string {
  const { year, month, day } = parseIsoDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return isoDate(y, m, Math.min(day, lastDay));
}

export function addDays(date: string, days: number): string {
  const { year, month, day } = parseIsoDate(date);
  const shifted = new Date(Date.UTC(year, month - 1, day) + days * DAY_MS);
  return isoDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

export function parseIsoDate(date: string): { year: number; month: number; day: number } {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new Error(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

export function isIsoDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false;
  const { year, month, day } = parseIsoDate(text);
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** The instant a Shanghai calendar day begins. */
export function shanghaiStartOfDay(date: string): Date {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET_MS);
}

/** The instant a Shanghai calendar day ends: a deadline "on the 15th" is met by anything before it. */
export function shanghaiEndOfDay(date: string): Date {
  return shanghaiStartOfDay(addDays(date, 1));
}

/** The Shanghai calendar date of an instant. */
export function shanghaiDate(instant: Date): string {
  const local = new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  return isoDate(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate());
}

/** The month (YYYY-MM) an instant falls in, in Shanghai. */
export function shanghaiMonth(instant: Date): Period {
  const date = parseIsoDate(shanghaiDate(instant));
  return monthPeriod(date.year, date.month);
}
