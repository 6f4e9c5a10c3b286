import { z } from 'zod';
import {
  checkedByService,
  decimalString,
  formIdDoc,
  paged,
  pageQuery,
  safeText,
  usccParam,
  uuidText,
} from './common.http';

/** Longest explanation text and return comment (characters). */
export const EXPLANATION_MAX = 2000;
export const RETURN_COMMENT_MAX = 2000;

const indicatorKey = safeText(64).meta({ description: 'An indicator code of the form' });

/**
 * A value as filed: a decimal string, or {value, unit} to state the unit. JSON numbers are accepted by the
 * schema only so that the service can answer VALUE.NOT_A_STRING for them with every other error.
 */
const filedValue = z.union([
  safeText(64).meta({ examples: ['98765.432'] }),
  z.number(),
  z.object({ value: z.union([safeText(64), z.number()]), unit: safeText(16).optional() }),
]);

export const explanationBody = z
  .object({
    ruleCode: safeText(64),
    indicator: safeText(64).optional(),
    reasonCode: safeText(64).meta({ description: 'A reason code from GET /v1/forms/{formId}/rules' }),
    text: safeText(EXPLANATION_MAX).meta({
      description: 'A specific explanation (boilerplate such as "核实无误" alone is refused)',
      examples: ['8月多确认跨期收入100千元，9月冲回'],
    }),
  })
  .meta({ id: 'ExplanationInput' });

export const filingBody = z
  .object({
    formId: formIdDoc('The form'),
    period: checkedByService(16, {
      description: 'YYYY-MM (monthly) or YYYY (annual), within the form’s window and open for filing',
      pattern: /^\d{4}(-(0[1-9]|1[0-2]))?$/,
      example: '2026-10',
    }),
    uscc: usccParam.optional().meta({ description: 'The filer; defaults to the enterprise of the token' }),
    values: z.record(indicatorKey, filedValue).meta({ description: 'indicator code → exact decimal string' }),
    explanations: z.array(explanationBody).max(200).optional(),
  })
  .meta({
    id: 'FilingInput',
    examples: [
      {
        formId: 'torch-monthly',
        period: '2026-10',
        values: { qc05_0: '98765.432', qc55: '90000', qd01: '120', qj20: '4321' },
      },
    ],
  });

export const explainBody = z.object({ explanations: z.array(explanationBody).max(200) }).meta({ id: 'ExplainInput' });

export const returnBody = z
  .object({
    comment: safeText(RETURN_COMMENT_MAX).meta({
      description: 'What the enterprise must check (4 to 2,000 characters; shorter → RETURN.COMMENT)',
      examples: ['研发费用与上月差异较大，请核实'],
    }),
  })
  .meta({ id: 'ReturnInput' });

/** Submission headers: the idempotency key, and the demo loader's receipt time (development only). */
export const submitHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\w.:-]{1,100}$/)
    .optional()
    .meta({ description: 'Same key and body → the same receipt, no new revision; same key, other body → 409' }),
  'demo-received-at': z.iso.datetime({ offset: true }).optional().meta({
    description:
      'Development only (DEMO_BACKDATING=on, refused in production): a past receipt time for demo data; ignored otherwise',
  }),
});

export const filingParams = z.strictObject({ id: uuidText });
export const revisionParams = z.strictObject({
  id: uuidText,
  revision: z
    .string()
    .regex(/^[1-9]\d{0,5}$/)
    .transform(Number)
    .meta({ description: 'A revision number (1, 2, …)' }),
});

export const filingListQuery = z.strictObject({
  formId: formIdDoc('Filter: form').optional(),
  period: checkedByService(7, { description: 'Filter: period', pattern: /^\d{4}(-(0[1-9]|1[0-2]))?$/ }).optional(),
  status: z.enum(['received', 'validating', 'accepted', 'needs-explanation', 'rejected', 'returned']).optional(),
  uscc: usccParam.optional(),
  ...pageQuery,
});

export const findingViewSchema = z
  .object({
    ruleCode: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    indicators: z.array(z.string()),
    pointer: z.string(),
    messageZh: z.string(),
    messageEn: z.string(),
    remedyZh: z.string(),
    remedyEn: z.string(),
    values: z.record(z.string(), z.string().nullable()),
    explanation: z.object({ reasonCode: z.string(), text: z.string() }).optional(),
  })
  .meta({ id: 'Finding' });

export const explanationViewSchema = z
  .object({ ruleCode: z.string(), indicator: z.string().optional(), reasonCode: z.string(), text: z.string() })
  .meta({ id: 'Explanation' });

export const receiptSchema = z
  .object({
    filingId: z.uuid(),
    uscc: z.string(),
    formId: z.string(),
    period: z.string(),
    revision: z.int(),
    attempt: z.int(),
    status: z.string(),
    contentSha256: z.string().meta({ description: 'SHA-256 of the canonical content: what the receipt certifies' }),
    idempotencyKey: z.string().nullable(),
    formVersion: z.string(),
    ruleSetVersion: z.string(),
    receivedAt: z.string(),
    serverTime: z.string(),
    links: z.object({ filing: z.string(), revision: z.string() }),
  })
  .meta({ id: 'Receipt' });

export const revisionSchema = z
  .object({
    revision: z.int(),
    attempt: z.int(),
    status: z.string(),
    outcome: z.string().nullable(),
    formVersion: z.string(),
    ruleSetVersion: z.string(),
    values: z.record(z.string(), decimalString),
    explanations: z.array(explanationViewSchema),
    findings: z.array(findingViewSchema),
    contentSha256: z.string(),
    receivedAt: z.string(),
    validatedAt: z.string().nullable(),
    returned: z.object({ comment: z.string().nullable(), by: z.string().nullable(), at: z.string() }).nullable(),
  })
  .meta({ id: 'Revision' });

export const filingViewSchema = z
  .object({
    id: z.uuid(),
    uscc: z.string(),
    formId: z.string(),
    period: z.string(),
    status: z.string(),
    currentRevision: z.int(),
    deadlines: z.object({ dueOn: z.string(), graceEndsOn: z.string(), locksOn: z.string() }),
    current: revisionSchema,
    revisions: z.array(
      z.object({
        revision: z.int(),
        status: z.string(),
        outcome: z.string().nullable(),
        receivedAt: z.string(),
        contentSha256: z.string(),
      }),
    ),
  })
  .meta({ id: 'FilingView' });

export const revisionViewSchema = revisionSchema
  .extend({ filingId: z.uuid(), uscc: z.string(), formId: z.string(), period: z.string() })
  .meta({ id: 'RevisionView' });

export const filingListSchema = paged(
  z.object({
    id: z.uuid(),
    uscc: z.string(),
    formId: z.string(),
    period: z.string(),
    status: z.string(),
    currentRevision: z.int(),
    updatedAt: z.string(),
  }),
).meta({ id: 'FilingList' });

export const dryRunSchema = z
  .object({
    outcome: z.enum(['accepted', 'needs-explanation', 'rejected']),
    formId: z.string(),
    formVersion: z.string(),
    ruleSetVersion: z.string(),
    findings: z.array(findingViewSchema),
    rulesEvaluated: z.int(),
    contentSha256: z.string(),
  })
  .meta({ id: 'DryRunResult' });

export type FilingInput = z.input<typeof filingBody>;
export type Receipt = z.infer<typeof receiptSchema>;
export type FilingView = z.infer<typeof filingViewSchema>;
export type Finding = z.infer<typeof findingViewSchema>;
