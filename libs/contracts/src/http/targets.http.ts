import { z } from 'zod';
import { checkedByService } from './common.http';

export const targetsQuery = z.strictObject({
  park: checkedByService(32, { description: 'A park code, or ZJ for the zone', example: 'CORE' }).optional(),
});

export const targetProgressSchema = z
  .looseObject({
    id: z.string(),
    parkCode: z.string(),
    titleZh: z.string(),
    titleEn: z.string(),
    year: z.int(),
    target: z.looseObject({ comparator: z.string(), value: z.string(), unit: z.string() }),
    basis: z.object({ formId: z.string(), period: z.string() }).nullable(),
    actual: z.string().nullable(),
    progressPercent: z.string().nullable(),
    met: z.boolean().nullable(),
    measurable: z.boolean(),
    note: z.string().optional(),
    indicators: z.array(
      z.looseObject({
        indicator: z.string(),
        role: z.enum(['value', 'numerator', 'denominator']),
        value: z.string().nullable(),
      }),
    ),
    source: z.string(),
  })
  .meta({ id: 'TargetProgress' });

export const targetsSchema = z
  .object({ version: z.string(), targets: z.array(targetProgressSchema) })
  .meta({ id: 'Targets' });
