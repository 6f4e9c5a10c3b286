import type { EntityManager } from '@mikro-orm/postgresql';
import { createEnvelope, type EventEnvelope, type PayloadOf, type Topic } from '@huoju/contracts';
import { OUTBOX_TRACE_KEY, outboxTraceCarrier } from '../tracing/event-trace';

export interface OutboxMessage<T extends Topic = Topic> {
  readonly topic: T;
  readonly key: string;
  readonly payload: PayloadOf<T>;
  readonly correlationId?: string;
  readonly causationId?: string;
}

/**
 * Writes events into the service's outbox table inside the caller's transaction: the change and the
 * events describing it commit together or not at all. The relay publishes them afterwards.
 */
export class Outbox {
  async add<T extends Topic>(em: EntityManager, message: OutboxMessage<T>): Promise<EventEnvelope<T>> {
    const [envelope] = await this.addAll(em, [message]);
    return envelope as EventEnvelope<T>;
  }

  async addAll(em: EntityManager, messages: readonly OutboxMessage[]): Promise<EventEnvelope[]> {
    if (messages.length === 0) return [];
    const envelopes = messages.map((message) =>
      createEnvelope(message.topic, message.key, message.payload, {
        correlationId: message.correlationId,
        causationId: message.causationId,
      }),
    );
    const placeholders = envelopes.map(() => '(?, ?, ?::jsonb)').join(', ');
    const params = envelopes.flatMap((envelope, index) => [
      messages[index]!.topic,
      envelope.key,
      JSON.stringify({ ...envelope, [OUTBOX_TRACE_KEY]: outboxTraceCarrier(messages[index]!.causationId) }),
    ]);
    await em.execute(`INSERT INTO outbox (topic, message_key, envelope) VALUES ${placeholders}`, params, 'run');
    return envelopes;
  }
}
