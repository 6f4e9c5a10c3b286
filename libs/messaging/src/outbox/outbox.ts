import type { EntityManager } from '@mikro-orm/postgresql';
import { createEnvelope, type EventEnvelope, type PayloadOf, type Topic } from '@huoju/contracts';
import { OUTBOX_TRACE_KEY, outboxTraceCarrier } from '../tracing/event-trace';
import { OutboxRepository } from './outbox.repository';

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
  private readonly rows = new OutboxRepository();

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
    await this.rows.insert(
      em,
      envelopes.map((envelope, index) => ({
        topic: messages[index]!.topic,
        key: envelope.key,
        envelope: { ...envelope, [OUTBOX_TRACE_KEY]: outboxTraceCarrier(messages[index]!.causationId) },
      })),
    );
    return envelopes;
  }
}
