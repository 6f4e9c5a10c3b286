import { z } from 'zod';
import { checkedByService } from './common.http';

export const targetsQuery = z.strictObject({
  park: checkedByService(32, { description: 'A park code, or ZJ for the zone', example: 'CORE' }).optional(),
});

const enterpriseFilter = z.object({
  industryTags: z.array(z.string()).optional(),
  qualificationTags: z.array(z.string()).optional(),
  industryPrefixes: z.array(z.string()).optional(),
});

export const targetProgressSchema = z
  .object({
    id: z.string(),
    parkCode: z.string(),
    titleZh: z.string(),
    titleEn: z.string(),
    year: z.int(),
    target: z.object({
      comparator: z.string(),
      value: z.string(),
      unit: z.string(),
      display: z.object({ value: z.string(), unit: z.string() }),
    }),
    basis: z.object({ formId: z.string(), period: z.string() }).nullable(),
    actual: z.string().nullable(),
    progressPercent: z.string().nullable(),
    met: z.boolean().nullable(),
    measurable: z.boolean(),
    note: z.string().optional(),
    indicators: z.array(
      z.object({
        indicator: z.string(),
        role: z.enum(['value', 'numerator', 'denominator']),
        value: z.string().nullable(),
        filter: enterpriseFilter.optional(),
      }),
    ),
    source: z.string(),
  })
  .meta({ id: 'TargetProgress' });

export const targetsSchema = z
  .object({ version: z.string(), targets: z.array(targetProgressSchema) })
  .meta({ id: 'Targets' });
