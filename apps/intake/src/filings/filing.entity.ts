import { defineEntity, p } from '@mikro-orm/core';
import type { Explanation, Finding } from '@huoju/domain';
import type { FilingStatus, VerdictOutcome } from './filing-status';

/**
 * An enterprise's filing of one form for one period; its status mirrors its current (newest) revision.
 * New revisions are written by FilingRepository.addRevision in one statement (the measured hot path).
 */
export const FilingSchema = defineEntity({
  name: 'Filing',
  tableName: 'filing',
  properties: {
    id: p.uuid().primary(),
    uscc: p.string(),
    formId: p.string(),
    period: p.string(),
    currentRevision: p.integer(),
    status: p.string().$type<FilingStatus>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export class Filing extends FilingSchema.class {}
FilingSchema.setClass(Filing);

/**
 * One revision of a filing: the figures as filed, the enterprise's explanations of warnings, and the
 * newest verdict. Its receipt is read from it; a reviewer's return is recorded on it, never on the figures.
 */
export const FilingRevisionSchema = defineEntity({
  name: 'FilingRevision',
  tableName: 'filing_revision',
  properties: {
    filingId: p.uuid().primary(),
    revision: p.integer().primary(),
    attempt: p.integer(),
    formVersion: p.string(),
    ruleSetVersion: p.string(),
    values: p.json<Record<string, string>>(),
    explanations: p.json<Explanation[]>(),
    contentSha256: p.string(),
    idempotencyKey: p.string().nullable(),
    submittedBy: p.string(),
    receivedAt: p.datetime(),
    status: p.string().$type<FilingStatus>(),
    outcome: p.string().$type<VerdictOutcome>().nullable(),
    verdict: p.integer(),
    findings: p.json<Finding[]>(),
    validatedAt: p.datetime().nullable(),
    returnedComment: p.string().nullable(),
    returnedBy: p.string().nullable(),
    returnedAt: p.datetime().nullable(),
  },
});

export class FilingRevision extends FilingRevisionSchema.class {}
FilingRevisionSchema.setClass(FilingRevision);
