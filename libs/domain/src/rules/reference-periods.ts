import type { FormId } from '../catalog';
import { parsePeriod, periodBounds, previousMonthInYear, sameMonthLastYear, yearPeriod, monthPeriod } from '../period';

export interface PeriodReference {
  readonly formId: FormId;
  readonly period: string;
}

/**
 * Which other filings of the same enterprise a filing's cross-period rules read, and on which day the roster
 * is consulted. One definition for the dry-run endpoint and the validation service, so they cannot disagree.
 */
export function referencesFor(formId: FormId, periodText: string) {
  if (formId === 'torch-monthly') {
    const period = parsePeriod(periodText, 'month');
    const previous = previousMonthInYear(period);
    return {
      rosterDate: periodBounds(period).end,
      previousMonth: previous ? ({ formId, period: previous.text } as PeriodReference) : undefined,
      sameMonthLastYear: { formId, period: sameMonthLastYear(period).text } as PeriodReference,
      otherForm:
        period.month === 12
          ? ({ formId: 'torch-annual', period: yearPeriod(period.year).text } as PeriodReference)
          : undefined,
    };
  }
  const period = parsePeriod(periodText, 'year');
  return {
    rosterDate: periodBounds(period).end,
    previousMonth: undefined,
    sameMonthLastYear: { formId, period: sameMonthLastYear(period).text } as PeriodReference,
    otherForm: { formId: 'torch-monthly', period: monthPeriod(period.year, 12).text } as PeriodReference,
  };
}
