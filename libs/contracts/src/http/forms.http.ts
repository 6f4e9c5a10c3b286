import { z } from 'zod';
import { checkedByService, formIdDoc, safeText } from './common.http';

const formIdParam = formIdDoc('A form id');

export const formParams = z.strictObject({ formId: formIdParam });
export const formQuery = z.strictObject({
  version: safeText(32).optional().meta({ description: 'A form version; default: the latest' }),
  period: checkedByService(7, {
    description: 'The version for this period, and its deadlines',
    pattern: /^\d{4}(-(0[1-9]|1[0-2]))?$/,
    example: '2026-09',
  }).optional(),
});

export const formScheduleSchema = z
  .object({
    dueDay: z.int(),
    dueMonthsAfterPeriodEnd: z.int(),
    graceDays: z.int(),
    lockDaysAfterDue: z.int(),
    locksOnNextYear: z.string().optional(),
    remindDaysBefore: z.int(),
  })
  .meta({ id: 'FormSchedule' });

export const indicatorSchema = z
  .object({
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    unit: z.enum(['千元', '人', '件', '家', '吨标准煤']),
    kind: z.enum(['flow', 'count', 'stock', 'average']),
    signed: z.boolean(),
    decimals: z.int(),
    required: z.boolean(),
    parent: z.string().optional(),
    sumOf: z.array(z.string()).optional(),
    section: z.string().optional(),
  })
  .meta({ id: 'Indicator' });

export const formReferencesSchema = z
  .object({
    previousInYear: z.boolean().meta({ description: 'Rules read the previous period of the same year' }),
    otherForm: z
      .object({
        formId: z.string(),
        period: z.enum(['year', 'december']),
        onlyMonth: z.int().optional(),
        labelZh: z.string(),
        labelEn: z.string(),
      })
      .optional()
      .meta({ description: 'The other form whose filing of the enterprise the rules compare with' }),
  })
  .meta({ id: 'FormReferences', description: 'Which other filings of the enterprise the rules read' });

export const formSummarySchema = z
  .object({
    formId: z.string(),
    version: z.string(),
    titleZh: z.string(),
    titleEn: z.string(),
    periodType: z.enum(['month', 'year']),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    schedule: formScheduleSchema,
    ruleSetVersion: z.string(),
    indicators: z.int().meta({ description: 'How many indicators the form has' }),
  })
  .meta({ id: 'FormSummary' });

export const formVersionSchema = z
  .object({
    formId: z.string(),
    version: z.string(),
    titleZh: z.string(),
    titleEn: z.string(),
    shortTitleZh: z.string(),
    shortTitleEn: z.string(),
    defaultScope: z.boolean().meta({ description: 'An enterprise registered without a scope list is in scope of it' }),
    references: formReferencesSchema,
    sdmxDataflow: z
      .object({ agency: z.string(), id: z.string(), version: z.string() })
      .meta({ description: 'The SDMX dataflow of its SDMX-CSV exports' }),
    periodType: z.enum(['month', 'year']),
    validFrom: z.string(),
    validTo: z.string().optional(),
    schedule: formScheduleSchema,
    indicators: z.array(indicatorSchema),
    ruleSetVersion: z.string(),
    source: z.string(),
    deadlines: z
      .object({
        period: z.string(),
        opensOn: z.string(),
        dueOn: z.string(),
        graceEndsOn: z.string(),
        locksOn: z.string(),
      })
      .optional()
      .meta({ description: 'With ?period=: that period’s dates (Asia/Shanghai)' }),
  })
  .meta({ id: 'FormVersion' });

export const ruleDescriptionSchema = z
  .object({
    code: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    titleZh: z.string(),
    titleEn: z.string(),
    descriptionZh: z.string(),
    descriptionEn: z.string(),
    remedyZh: z.string(),
    remedyEn: z.string(),
    kind: z.string(),
    crossPeriod: z.boolean(),
  })
  .meta({ id: 'RuleDescription', description: 'A validation rule: code, severity, what it checks, how to fix it' });

export const formRulesSchema = z
  .object({
    formId: z.string(),
    formVersion: z.string(),
    ruleSetVersion: z.string(),
    rules: z.array(ruleDescriptionSchema),
    explanationReasons: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() })),
  })
  .meta({ id: 'FormRules' });
