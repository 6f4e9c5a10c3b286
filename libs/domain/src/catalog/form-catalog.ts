import {
  addDays,
  addMonths,
  comparePeriods,
  isoDate,
  parseIsoDate,
  parsePeriod,
  shanghaiEndOfDay,
  type Period,
} from '../period';
import type { FormId, FormVersion, IndicatorDefinition } from './catalog.types';
import torchAnnual2025 from './data/torch-annual.2025.1.json';
import torchMonthly2026 from './data/torch-monthly.2026.1.json';

/** Every form version the platform knows, as data. A new survey approval adds a file, never edits one. */
const FORM_VERSIONS: readonly FormVersion[] = [torchMonthly2026 as FormVersion, torchAnnual2025 as FormVersion];

export interface PeriodSchedule {
  /** First day enterprises can file. */
  readonly opensOn: string;
  /** Last day to file on time (end of day, Shanghai). */
  readonly dueOn: string;
  /** Last day of the grace period: after it an unfiled enterprise is overdue. */
  readonly graceEndsOn: string;
  /** Last day anything can be filed or amended. */
  readonly locksOn: string;
  readonly dueAt: Date;
  readonly graceEndsAt: Date;
  readonly locksAt: Date;
  readonly remindOn: string;
}

export function formVersions(formId?: FormId): readonly FormVersion[] {
  return formId ? FORM_VERSIONS.filter((form) => form.formId === formId) : FORM_VERSIONS;
}

export function findFormVersion(formId: string, version: string): FormVersion | undefined {
  return FORM_VERSIONS.find((form) => form.formId === formId && form.version === version);
}

/** The version of a form that applies to a period, or undefined when the period is outside every version. */
export function formVersionFor(formId: string, periodText: string): FormVersion | undefined {
  return FORM_VERSIONS.find((form) => {
    if (form.formId !== formId) return false;
    let period: Period;
    try {
      period = parsePeriod(periodText, form.periodType);
    } catch {
      return false;
    }
    if (comparePeriods(period, parsePeriod(form.validFrom, form.periodType)) < 0) return false;
    return !form.validTo || comparePeriods(period, parsePeriod(form.validTo, form.periodType)) <= 0;
  });
}

export function latestFormVersion(formId: string): FormVersion | undefined {
  const versions = FORM_VERSIONS.filter((form) => form.formId === formId);
  return versions[versions.length - 1];
}

export function isFormId(value: string): value is FormId {
  return value === 'torch-monthly' || value === 'torch-annual';
}

export function indicatorMap(form: FormVersion): ReadonlyMap<string, IndicatorDefinition> {
  return new Map(form.indicators.map((indicator) => [indicator.code, indicator]));
}

export function scheduleFor(form: FormVersion, period: Period): PeriodSchedule {
  const { schedule } = form;
  // A period opens the day after it ends: the 1st of the month after its last month.
  const opensOn = addMonths(isoDate(period.year, period.month, 1), 1);
  const firstOfDueMonth = addMonths(isoDate(period.year, period.month, 1), schedule.dueMonthsAfterPeriodEnd);
  const { year, month } = parseIsoDate(firstOfDueMonth);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const dueOn = isoDate(year, month, Math.min(schedule.dueDay, lastDay));
  const graceEndsOn = addDays(dueOn, schedule.graceDays);
  const locksOn = schedule.locksOnNextYear
    ? `${period.year + 1}-${schedule.locksOnNextYear}`
    : addDays(dueOn, schedule.lockDaysAfterDue);
  return {
    opensOn,
    dueOn,
    graceEndsOn,
    locksOn,
    dueAt: shanghaiEndOfDay(dueOn),
    graceEndsAt: shanghaiEndOfDay(graceEndsOn),
    locksAt: shanghaiEndOfDay(locksOn),
    remindOn: addDays(dueOn, -schedule.remindDaysBefore),
  };
}
