import { latestFormVersion, type FormId } from '../catalog';
import { monthPeriod, parsePeriod, periodBounds, previousMonthInYear, sameMonthLastYear, yearPeriod } from '../period';

export interface PeriodReference {
  readonly formId: FormId;
  readonly period: string;
  /** How findings name the other form's filing ("年报"); set on `otherForm` only. */
  readonly labelZh?: string;
  readonly labelEn?: string;
}

/**
 * Which other filings of the same enterprise a filing's cross-period rules read, and on which day the roster
 * is consulted, as the form's `references` say. One definition for the dry-run endpoint and the validation
 * service, so they cannot disagree.
 */
export function referencesFor(formId: FormId, periodText: string) {
  const form = latestFormVersion(formId);
  if (!form) throw new Error(`unknown form ${formId}`);
  const period = parsePeriod(periodText, form.periodType);
  const { references } = form;
  const previous = references.previousInYear ? previousMonthInYear(period) : undefined;
  const other = references.otherForm;
  const readsOther = other && (other.onlyMonth === undefined || other.onlyMonth === period.month);
  return {
    rosterDate: periodBounds(period).end,
    previousMonth: previous ? ({ formId, period: previous.text } as PeriodReference) : undefined,
    sameMonthLastYear: { formId, period: sameMonthLastYear(period).text } as PeriodReference,
    otherForm: readsOther
      ? ({
          formId: other.formId,
          period: other.period === 'year' ? yearPeriod(period.year).text : monthPeriod(period.year, 12).text,
          labelZh: other.labelZh,
          labelEn: other.labelEn,
        } as PeriodReference)
      : undefined,
  };
}
