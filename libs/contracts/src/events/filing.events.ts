import { z } from 'zod';
import {
  decimalText,
  explanationSchema,
  findingSchema,
  formIdSchema,
  indicatorValues,
  instantText,
  isoDateText,
  periodText,
  usccText,
} from './common.schema';

/** An enterprise submitted (or re-submitted with explanations) one revision of a filing. Key: USCC. */
export const filingSubmittedV1 = z.object({
  filingId: z.string().uuid(),
  revision: z.number().int().positive(),
  /** Increases each time the same revision is re-submitted with explanations. */
  attempt: z.number().int().positive(),
  uscc: usccText,
  formId: formIdSchema,
  formVersion: z.string(),
  period: periodText,
  values: indicatorValues,
  explanations: z.array(explanationSchema),
  contentSha256: z.string().length(64),
  /** When intake first received this revision: what on-time compliance is measured by. */
  receivedAt: instantText,
});

/** Validation's verdict on one attempt of one revision, with every finding. Key: USCC. */
export const filingValidatedV1 = z.object({
  filingId: z.string().uuid(),
  revision: z.number().int().positive(),
  attempt: z.number().int().positive(),
  /** Increases on every verdict for the revision, including re-validations after a rule change. */
  verdict: z.number().int().positive(),
  reason: z.enum(['submitted', 'rule-set-changed']),
  uscc: usccText,
  formId: formIdSchema,
  formVersion: z.string(),
  ruleSetVersion: z.string(),
  period: periodText,
  outcome: z.enum(['accepted', 'needs-explanation', 'rejected']),
  previousOutcome: z.enum(['accepted', 'needs-explanation', 'rejected']).optional(),
  findings: z.array(findingSchema),
  values: indicatorValues,
  contentSha256: z.string().length(64),
  receivedAt: instantText,
  validatedAt: instantText,
});

const deadlineFields = {
  uscc: usccText,
  nameZh: z.string(),
  formId: formIdSchema,
  period: periodText,
  dueOn: isoDateText,
  graceEndsOn: isoDateText,
  parkCode: z.string(),
  subParkCode: z.string().optional(),
  streetCode: z.string(),
};

/** A reminder: the filing is due in a few days and nothing has been filed yet. Key: USCC. */
export const filingDueSoonV1 = z.object({ ...deadlineFields, remindOn: isoDateText });

/** The grace period passed without an accepted filing. Key: USCC. */
export const filingOverdueV1 = z.object({
  ...deadlineFields,
  status: z.enum(['not-filed', 'needs-explanation', 'rejected', 'received']),
});

/** A filing arrived after its due date. Key: USCC. */
export const filingLateReceivedV1 = z.object({
  ...deadlineFields,
  filingId: z.string().uuid(),
  revision: z.number().int(),
  receivedAt: instantText,
  daysLate: z.number().int(),
});

export { decimalText };
