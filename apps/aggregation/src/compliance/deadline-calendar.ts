import {
  addDays,
  formVersionFor,
  DEFAULT_FORM_ID,
  isFormId,
  parseIsoDate,
  parsePeriod,
  periodBounds,
  periodTypeOf,
  previousMonth,
  scheduleFor,
  shanghaiDate,
  shanghaiMonth,
  shanghaiStartOfDay,
  trailingMonths,
  yearPeriod,
  type FormId,
  type PeriodSchedule,
  type PeriodType,
} from '@huoju/domain';

/** How many periods back deadlines can still matter: a month locks on 30 April of the next year. */
const PERIODS_IN_PLAY: Record<PeriodType, number> = { month: 18, year: 3 };

function periodType(formId: FormId): PeriodType {
  const type = periodTypeOf(formId);
  if (!type) throw new Error(`unknown form ${formId}`);
  return type;
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** One period of a form with its calendar: what the status SQL and the reminder jobs are computed from. */
export interface PeriodDeadlines {
  readonly formId: FormId;
  readonly period: string;
  readonly periodEnd: string;
  readonly schedule: PeriodSchedule;
  /** When due-soon reminders go out: remindOn at the configured hour, Shanghai. */
  readonly dueSoonAt: Date;
  /** When unfiled enterprises become overdue: the end of graceEndsOn. */
  readonly overdueAt: Date;
}

export function deadlinesOf(formId: string, period: string, remindHour: number): PeriodDeadlines | undefined {
  const form = formVersionFor(formId, period);
  if (!form) return undefined;
  const parsed = parsePeriod(period, form.periodType);
  const schedule = scheduleFor(form, parsed);
  return {
    formId: form.formId,
    period,
    periodEnd: periodBounds(parsed).end,
    schedule,
    dueSoonAt: new Date(shanghaiStartOfDay(schedule.remindOn).getTime() + remindHour * HOUR_MS),
    overdueAt: schedule.graceEndsAt,
  };
}

/**
 * The periods whose deadlines can still matter at `now`, oldest first: from the current period (reminded
 * next month or year) back far enough to cover the longest lock (a month locks on 30 April of the next year).
 */
export function periodsInPlay(formId: FormId, now: Date, remindHour: number): PeriodDeadlines[] {
  const candidates =
    periodType(formId) === 'month'
      ? trailingMonths(shanghaiMonth(now), PERIODS_IN_PLAY.month).map((p) => p.text)
      : yearsUpTo(Number(shanghaiDate(now).slice(0, 4)), PERIODS_IN_PLAY.year);
  return candidates
    .map((period) => deadlinesOf(formId, period, remindHour))
    .filter((d): d is PeriodDeadlines => d !== undefined && now <= shanghaiStartOfDay(addDays(d.schedule.locksOn, 2)));
}

/** The latest period already open for filing at `now` (last month; last year for the annual form). */
export function latestOpenPeriod(formId: FormId, now: Date): string {
  return periodType(formId) === 'month'
    ? previousMonth(shanghaiMonth(now)).text
    : String(Number(shanghaiDate(now).slice(0, 4)) - 1);
}

/** `count` periods ending with `last`, oldest first. */
export function trailingPeriods(formId: FormId, last: string, count: number): string[] {
  return periodType(formId) === 'month'
    ? trailingMonths(parsePeriod(last, 'month'), count).map((p) => p.text)
    : yearsUpTo(Number(last), count);
}

export function previousPeriod(formId: FormId, period: string): string {
  return periodType(formId) === 'month' ? previousMonth(parsePeriod(period, 'month')).text : String(Number(period) - 1);
}

/** Whole Shanghai calendar days from the due date to the day something was received (1 = the day after). */
export function daysLate(dueOn: string, receivedAt: Date): number {
  const due = parseIsoDate(dueOn);
  const received = parseIsoDate(shanghaiDate(receivedAt));
  return Math.round(
    (Date.UTC(received.year, received.month - 1, received.day) - Date.UTC(due.year, due.month - 1, due.day)) / DAY_MS,
  );
}

/** A late receipt can arrive until the lock date; a day's margin covers receipts validated just after it. */
export function lateReceiptsPossible(deadlines: PeriodDeadlines, now: Date): boolean {
  return now > deadlines.schedule.dueAt && now <= shanghaiStartOfDay(addDays(deadlines.schedule.locksOn, 2));
}

/**
 * Whether a passed overdue deadline is still worth catching up: not after the lock date, and only within
 * `catchUpDays` of the grace end, so a first start does not report months-old periods as news.
 */
export function overdueCatchUpDue(deadlines: PeriodDeadlines, now: Date, catchUpDays: number): boolean {
  return (
    deadlines.overdueAt <= now &&
    now < deadlines.schedule.locksAt &&
    now.getTime() < deadlines.overdueAt.getTime() + catchUpDays * DAY_MS
  );
}

export function parseFormId(value: string | undefined): FormId | undefined {
  const formId = value ?? DEFAULT_FORM_ID;
  return isFormId(formId) ? formId : undefined;
}

function yearsUpTo(last: number, count: number): string[] {
  return Array.from({ length: count }, (_, index) => yearPeriod(last - count + 1 + index).text);
}
