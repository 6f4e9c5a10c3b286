import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@huoju/contracts';
import { InboxRepository } from './inbox.repository';

const inbox = new InboxRepository();

/**
 * Of several events, those this consumer has not applied yet, claimed in the caller's transaction with the effect:
 * a redelivery or a replay is not returned again, so the effect happens once.
 */
export async function claimEvents(
  em: EntityManager,
  consumer: string,
  envelopes: readonly EventEnvelope[],
  topic: string,
): Promise<Set<string>> {
  const claimed = await inbox.insertUnseen(
    em,
    consumer,
    topic,
    envelopes.map((envelope) => envelope.id),
  );
  return new Set(claimed);
}
