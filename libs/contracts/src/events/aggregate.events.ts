import { z } from 'zod';
import { decimalText, formIdSchema, instantText, periodText } from './common.schema';

/** A roll-up of one park's period finished; its figures are final for the cut-off it names. Key: park code. */
export const aggregateRolledUpV1 = z.object({
  rollupId: z.string(),
  parkCode: z.string(),
  formId: formIdSchema,
  period: periodText,
  trigger: z.enum(['period-closed', 'on-demand', 'late-revision', 'filing-accepted']),
  /** The filing revisions the figures reflect: how many, and the newest verdict included. */
  cutoff: z.object({ filings: z.number().int(), lastVerdictAt: instantText.nullable(), factsHash: z.string() }),
  figures: z.number().int(),
  revisedFigures: z.number().int(),
  completedAt: instantText,
});

/** A figure that had already been rolled up changed. Key: park code. */
export const aggregateRevisedV1 = z.object({
  rollupId: z.string(),
  parkCode: z.string(),
  formId: formIdSchema,
  period: periodText,
  dimension: z.string(),
  member: z.string(),
  indicator: z.string(),
  measure: z.enum(['ytd', 'month']),
  oldValue: decimalText.nullable(),
  newValue: decimalText.nullable(),
  causedBy: z.array(z.object({ uscc: z.string(), filingId: z.string(), revision: z.number().int() })),
  revisedAt: instantText,
});
