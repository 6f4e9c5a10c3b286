import {
  addDays,
  addMonths,
  comparePeriods,
  isoDate,
  parseIsoDate,
  parsePeriod,
  shanghaiEndOfDay,
  type Period,
  type PeriodType,
} from '../period';
import type { FormId, FormVersion, IndicatorDefinition } from './catalog.types';
import torchAnnual2025 from './data/torch-annual.2025.1.json';
import torchMonthly2026 from './data/torch-monthly.2026.1.json';

/**
 * Every form version the platform knows, as data. A new survey approval adds a file, never edits one: here
 * for the built-in Torch forms, or in an operator's directory registered at start (`registerFormVersion`).
 */
const FORM_VERSIONS: FormVersion[] = [torchMonthly2026 as FormVersion, torchAnnual2025 as FormVersion];

/**
 * Adds a form version read at start (an operator's catalog directory, a test's fixture); refuses a version
 * the catalog holds already. Versions of one form are kept in the order registered (oldest first).
 */
export function registerFormVersion(form: FormVersion): void {
  if (findFormVersion(form.formId, form.version))
    throw new Error(`form ${form.formId} ${form.version} is known already`);
  FORM_VERSIONS.push(form);
}

/**
 * The form a request means when it names none (the HTTP contracts document it as the default). The one
 * form id outside the catalog's data: the APIs' default has to be a fixed, documented value.
 */
export const DEFAULT_FORM_ID: FormId = 'torch-monthly';

/** The ids of every form, in catalog order. */
export function formIds(): FormId[] {
  return [...new Set(FORM_VERSIONS.map((form) => form.formId))];
}

/** The forms an enterprise registered without a scope list is in scope of. */
export function defaultScopeFormIds(): FormId[] {
  return formIds().filter((formId) => latestFormVersion(formId)?.defaultScope);
}

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

/** Whether the catalog holds a form of this id: the check untrusted text passes at every edge. */
export function isFormId(value: string): value is FormId {
  return FORM_VERSIONS.some((form) => form.formId === value);
}

/** How a form's periods run ("month", "year"), or undefined for an unknown form. */
export function periodTypeOf(formId: string): PeriodType | undefined {
  return latestFormVersion(formId)?.periodType;
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
