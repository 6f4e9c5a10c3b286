import { z } from 'zod';
import { checkedByService, formIdDoc, safeText } from './common.http';

export const rollupBody = z
  .object({
    park: checkedByService(32, { description: 'A park code, or "all"', example: 'CORE' }),
    formId: formIdDoc('A form id; default torch-monthly').optional(),
    period: checkedByService(7, {
      description: 'A period of the form that has ended or is under way (not a future one)',
      pattern: /^\d{4}(-(0[1-9]|1[0-2]))?$/,
      example: '2026-09',
    }),
  })
  .meta({ id: 'RollupRequest', examples: [{ park: 'CORE', formId: 'torch-monthly', period: '2026-09' }] });

export const rollupParams = z.strictObject({
  id: safeText(64)
    .regex(/^[\w:-]{1,64}$/)
    .meta({ description: 'A roll-up job id' }),
});

export const rollupJobsSchema = z
  .object({ jobs: z.array(z.object({ id: z.string(), links: z.object({ self: z.string() }) })) })
  .meta({ id: 'RollupJobs' });

export const rollupStatusSchema = z
  .object({
    id: z.string(),
    state: z.string(),
    progress: z.number(),
    parkCode: z.string().optional(),
    formId: z.string().optional(),
    period: z.string().optional(),
    trigger: z.string().optional(),
    final: z.boolean().nullable(),
    figures: z.number().nullable(),
    revisedFigures: z.number().nullable(),
    filings: z.number().nullable(),
    factsHash: z.string().nullable(),
    error: z
      .object({ code: z.string(), messageZh: z.string(), messageEn: z.string() })
      .nullable()
      .meta({ description: 'A coded, coarse reason; the detail is in the service log' }),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'RollupStatus' });
