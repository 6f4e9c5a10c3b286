import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@huoju/contracts';

/**
 * Records that a consumer applied an event, in the same transaction as the effect. Returns false when the
 * event was applied before (a redelivery or a replay): the caller then does nothing, so the effect happens once.
 */
export async function claimEvent(
  em: EntityManager,
  consumer: string,
  envelope: EventEnvelope,
  topic: string,
): Promise<boolean> {
  const rows = await em.execute<{ event_id: string }[]>(
    'INSERT INTO inbox (consumer, event_id, topic) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING event_id',
    [consumer, envelope.id, topic],
  );
  return rows.length === 1;
}

/** Of several events, those this consumer has not applied yet; claims them in the caller's transaction. */
export async function claimEvents(
  em: EntityManager,
  consumer: string,
  envelopes: readonly EventEnvelope[],
  topic: string,
): Promise<Set<string>> {
  if (envelopes.length === 0) return new Set();
  const placeholders = envelopes.map(() => '(?, ?, ?)').join(', ');
  const params = envelopes.flatMap((envelope) => [consumer, envelope.id, topic]);
  const rows = await em.execute<{ event_id: string }[]>(
    `INSERT INTO inbox (consumer, event_id, topic) VALUES ${placeholders} ON CONFLICT DO NOTHING RETURNING event_id`,
    params,
  );
  return new Set(rows.map((row) => row.event_id));
}
