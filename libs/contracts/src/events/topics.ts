import type { z } from 'zod';
import { aggregateRevisedV1, aggregateRolledUpV1 } from './aggregate.events';
import { auditRecordedV1 } from './audit.events';
import {
  filingDueSoonV1,
  filingLateReceivedV1,
  filingOverdueV1,
  filingSubmittedV1,
  filingValidatedV1,
} from './filing.events';
import { enterpriseChangedV1 } from './registry.events';

/**
 * Every Kafka topic and the schema of its payload. Publishing and consuming are typed from this one map,
 * and the same schemas validate each message at runtime on both ends.
 * A breaking change is a new topic version (…v2), never an edit of a published schema.
 */
export const TOPIC_SCHEMAS = {
  'filing.submitted.v1': filingSubmittedV1,
  'filing.validated.v1': filingValidatedV1,
  'filing.due-soon.v1': filingDueSoonV1,
  'filing.overdue.v1': filingOverdueV1,
  'filing.late-received.v1': filingLateReceivedV1,
  'registry.enterprise-changed.v1': enterpriseChangedV1,
  'aggregate.rolledup.v1': aggregateRolledUpV1,
  'aggregate.revised.v1': aggregateRevisedV1,
  'audit.recorded.v1': auditRecordedV1,
} as const;

export type Topic = keyof typeof TOPIC_SCHEMAS;
export type PayloadOf<T extends Topic> = z.infer<(typeof TOPIC_SCHEMAS)[T]>;
export const TOPICS = Object.keys(TOPIC_SCHEMAS) as Topic[];

/** Topics kept as the latest value per key (log compaction) rather than as a history. */
export const COMPACTED_TOPICS: readonly Topic[] = ['registry.enterprise-changed.v1'];

export function isTopic(name: string): name is Topic {
  return Object.hasOwn(TOPIC_SCHEMAS, name);
}

export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

export type FilingSubmitted = PayloadOf<'filing.submitted.v1'>;
export type FilingValidated = PayloadOf<'filing.validated.v1'>;
export type EnterpriseChanged = PayloadOf<'registry.enterprise-changed.v1'>;
export type AggregateRolledUp = PayloadOf<'aggregate.rolledup.v1'>;
export type AggregateRevised = PayloadOf<'aggregate.revised.v1'>;
export type AuditRecorded = PayloadOf<'audit.recorded.v1'>;
export type FilingDueSoon = PayloadOf<'filing.due-soon.v1'>;
export type FilingOverdue = PayloadOf<'filing.overdue.v1'>;
export type FilingLateReceived = PayloadOf<'filing.late-received.v1'>;
