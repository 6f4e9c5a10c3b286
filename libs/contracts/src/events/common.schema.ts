import { z } from 'zod';
import { FORM_ID_PATTERN } from '../http/common.http';

/** Exact decimal as text ("1234.5", "-20"); never a JSON number, so no value passes through a binary float. */
export const decimalText = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal number written as a string, e.g. "1234.56"');
export const usccText = z.string().length(18);
/**
 * A form id as text: forms are data (the catalog in libs/domain, extended at start), so the contract checks
 * the shape and each service looks the form up in its catalog.
 */
export const formIdSchema = z.string().regex(FORM_ID_PATTERN);
export const isoDateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const instantText = z.string().datetime({ offset: true });
export const periodText = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/);
export const indicatorValues = z.record(z.string(), decimalText);

export const explanationSchema = z.object({
  ruleCode: z.string().min(1),
  indicator: z.string().optional(),
  reasonCode: z.string().min(1),
  text: z.string().min(1).max(2000),
});

export const findingSchema = z.object({
  ruleCode: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  indicators: z.array(z.string()),
  pointer: z.string(),
  messageZh: z.string(),
  messageEn: z.string(),
  remedyZh: z.string(),
  remedyEn: z.string(),
  values: z.record(z.string(), decimalText.nullable()),
  explanation: z.object({ reasonCode: z.string(), text: z.string() }).optional(),
});
