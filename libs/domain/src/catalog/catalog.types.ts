import type { PeriodType } from '../period';

/**
 * The id of a form the catalog holds ("torch-monthly"). Forms are data, so this is text: untrusted input is
 * checked with `isFormId` at the edges, and code reads what it needs from the form, never from the id.
 */
export type FormId = string;

/** 千元 money, 人 persons, 件 patents, 家 institutions, 吨标准煤 tonnes of standard coal. */
export type Unit = '千元' | '人' | '件' | '家' | '吨标准煤';
export const COUNTED_UNITS: readonly Unit[] = ['人', '件', '家'];

/**
 * How a figure behaves over time and across enterprises:
 * - flow: accumulates over the period; on a monthly form it is year-to-date (revenue, R&D spend);
 * - count: events counted in the period, year-to-date on a monthly form (patent applications);
 * - stock: a level at period end (employees); summed across enterprises, never over months;
 * - average: an average over the months elapsed (average employees).
 */
export type IndicatorKind = 'flow' | 'count' | 'stock' | 'average';

export interface IndicatorDefinition {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly unit: Unit;
  readonly kind: IndicatorKind;
  /** May be negative (profit, equity). Everything else must be ≥ 0. */
  readonly signed: boolean;
  /** Most digits accepted after the decimal point. */
  readonly decimals: number;
  readonly required: boolean;
  /** 其中: this indicator is a part of `parent` and may not exceed it. */
  readonly parent?: string;
  /** This indicator equals the sum of these (within the rule set's rounding tolerance). */
  readonly sumOf?: readonly string[];
  /** Form section, e.g. GQ-002 (经济概况). */
  readonly section?: string;
}

/** When a period of a form opens, is due, stops being chased and is locked. Days are Shanghai calendar days. */
export interface FormSchedule {
  /** Due on this day of the month that is `dueMonthsAfterPeriodEnd` after the period's last month. */
  readonly dueDay: number;
  readonly dueMonthsAfterPeriodEnd: number;
  /** Filings after the due date but within the grace days are late, not yet overdue. */
  readonly graceDays: number;
  /** After this many days past the due date nothing can be filed or amended… */
  readonly lockDaysAfterDue: number;
  /**
   * …unless the period's year closes on a fixed day of the next year ("MM-DD"): a monthly figure can be
   * corrected until the annual report of its year is locked, so December agrees with the annual report.
   */
  readonly locksOnNextYear?: string;
  /** Reminders go out this many days before the due date. */
  readonly remindDaysBefore: number;
}

/** Which other filings of the same enterprise a filing's cross-period rules read (besides the same period last year, always read). */
export interface FormReferences {
  /** The same form's previous period in the same year (year-to-date checks of a monthly form). */
  readonly previousInYear: boolean;
  /** The counterpart on another form, e.g. the annual report for a December monthly filing. */
  readonly otherForm?: OtherFormReference;
}

export interface OtherFormReference {
  readonly formId: FormId;
  /** "year": the year of this period (an annual form); "december": December of this period's year (a monthly form). */
  readonly period: 'year' | 'december';
  /** Only periods in this month read the other form (a monthly form read against the annual report in December). */
  readonly onlyMonth?: number;
  /** How findings name the other filing ("年报", "12月月报"). */
  readonly labelZh: string;
  readonly labelEn: string;
}

/** The SDMX dataflow an SDMX-CSV export of the form is published under. */
export interface SdmxDataflow {
  readonly agency: string;
  readonly id: string;
  readonly version: string;
}

export interface FormVersion {
  readonly formId: FormId;
  readonly version: string;
  readonly titleZh: string;
  readonly titleEn: string;
  /** Short names for lists and messages ("月报", "monthly report"). */
  readonly shortTitleZh: string;
  readonly shortTitleEn: string;
  /** An enterprise registered without a scope list is in scope of every form marked so. */
  readonly defaultScope: boolean;
  readonly references: FormReferences;
  readonly sdmxDataflow: SdmxDataflow;
  readonly periodType: PeriodType;
  /** First period this version applies to (inclusive), e.g. "2026-01" or "2025". */
  readonly validFrom: string;
  /** Last period this version applies to (inclusive); open-ended when absent. */
  readonly validTo?: string;
  readonly schedule: FormSchedule;
  /** In the form's column order. */
  readonly indicators: readonly IndicatorDefinition[];
  readonly ruleSetVersion: string;
  readonly source: string;
}
