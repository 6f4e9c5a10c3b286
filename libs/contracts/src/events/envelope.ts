import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { TOPIC_SCHEMAS, isTopic, type PayloadOf, type Topic } from './topics';

/** Every event travels in this envelope; `type` and `version` together name its topic. */
export interface EventEnvelope<T extends Topic = Topic> {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly key: string;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly payload: PayloadOf<T>;
}

const envelopeShape = z.object({
  id: z.string().uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.string().datetime({ offset: true }),
  key: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().optional(),
  payload: z.unknown(),
});

export function topicOf(type: string, version: number): string {
  return `${type}.v${version}`;
}

export function typeAndVersion(topic: Topic): { type: string; version: number } {
  const match = /^(.*)\.v(\d+)$/.exec(topic)!;
  return { type: match[1]!, version: Number(match[2]) };
}

export function createEnvelope<T extends Topic>(
  topic: T,
  key: string,
  payload: PayloadOf<T>,
  meta: { correlationId?: string; causationId?: string; occurredAt?: Date } = {},
): EventEnvelope<T> {
  const { type, version } = typeAndVersion(topic);
  const parsed = TOPIC_SCHEMAS[topic].parse(payload) as PayloadOf<T>;
  const id = randomUUID();
  return {
    id,
    type,
    version,
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    key,
    correlationId: meta.correlationId ?? id,
    ...(meta.causationId ? { causationId: meta.causationId } : {}),
    payload: parsed,
  };
}

export class EnvelopeError extends Error {
  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** Parses and checks a raw message from `topic`: the envelope, that it belongs on the topic, and its payload. */
export function parseEnvelope<T extends Topic>(topic: T, raw: Buffer | string | null): EventEnvelope<T> {
  if (raw === null) throw new EnvelopeError('empty message (tombstone)');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch (error) {
    throw new EnvelopeError(`not JSON: ${(error as Error).message}`);
  }
  const envelope = envelopeShape.safeParse(json);
  if (!envelope.success) throw new EnvelopeError('invalid envelope', describeIssues(envelope.error));
  const expected = typeAndVersion(topic);
  if (envelope.data.type !== expected.type || envelope.data.version !== expected.version) {
    throw new EnvelopeError(`event ${topicOf(envelope.data.type, envelope.data.version)} does not belong on ${topic}`);
  }
  if (!isTopic(topic)) throw new EnvelopeError(`unknown topic ${topic}`);
  const payload = TOPIC_SCHEMAS[topic].safeParse(envelope.data.payload);
  if (!payload.success) throw new EnvelopeError(`invalid ${topic} payload`, describeIssues(payload.error));
  return { ...envelope.data, payload: payload.data as PayloadOf<T> };
}

function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: `/${issue.path.join('/')}`, message: issue.message }));
}
