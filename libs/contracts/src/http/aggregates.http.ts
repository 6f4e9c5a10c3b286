import { z } from 'zod';
import { checkedByService, formIdDoc, safeText } from './common.http';

export const GROUP_BY = [
  'zone',
  'park',
  'subPark',
  'carrier',
  'district',
  'street',
  'section',
  'division',
  'industryTag',
  'qualification',
] as const;
export const MEASURES = ['ytd', 'month', 'yoy'] as const;

const aggregateFilters = {
  formId: formIdDoc('The form').optional(),
  period: checkedByService(7, {
    description: 'The period (required)',
    pattern: /^\d{4}(-(0[1-9]|1[0-2]))?$/,
    example: '2026-09',
  }),
  indicator: checkedByService(32, { description: 'One indicator', example: 'qc05_0' }).optional(),
  groupBy: checkedByService(16, { description: 'Dimension (default park)', enum: GROUP_BY }).optional(),
  park: checkedByService(32, { description: 'Only this park', example: 'CORE' }).optional(),
};

export const aggregateQuery = z.strictObject({
  ...aggregateFilters,
  measure: checkedByService(8, { description: 'ytd (default), month or yoy', enum: MEASURES }).optional(),
  format: z.enum(['json', 'csv']).optional().meta({ description: 'csv downloads the rows' }),
});

export const provenanceQuery = z.strictObject({
  ...aggregateFilters,
  member: safeText(64).meta({ description: 'The member of the dimension (a park code, a street code…)' }),
  indicator: checkedByService(32, { description: 'The indicator', example: 'qc05_0' }),
  measure: z.literal('ytd').optional(),
});

export const aggregateRowSchema = z
  .object({
    member: z.string(),
    memberName: z.string().nullable(),
    indicator: z.string(),
    measure: z.enum(MEASURES),
    value: z.string().nullable().meta({ description: 'Exact decimal; null when not derivable' }),
    enterprises: z.int(),
    expected: z.int(),
    filed: z.int(),
    accepted: z.int(),
    final: z.boolean(),
  })
  .meta({ id: 'AggregateRow' });

export const aggregatesSchema = z
  .object({
    formId: z.string(),
    period: z.string(),
    groupBy: z.string(),
    measure: z.enum(MEASURES),
    rows: z.array(aggregateRowSchema),
  })
  .meta({ id: 'Aggregates' });

export const provenanceSchema = z
  .object({
    formId: z.string(),
    period: z.string(),
    dimension: z.string(),
    member: z.string(),
    indicator: z.string(),
    total: z.string(),
    filings: z.array(
      z.object({
        uscc: z.string(),
        nameZh: z.string(),
        parkCode: z.string(),
        filingId: z.string(),
        revision: z.int(),
        verdict: z.int(),
        receiptSha256: z.string(),
        value: z.string(),
      }),
    ),
  })
  .meta({ id: 'Provenance' });
