import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@huoju/contracts';

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
  if (envelopes.length === 0) return new Set();
  const placeholders = envelopes.map(() => '(?, ?, ?)').join(', ');
  const params = envelopes.flatMap((envelope) => [consumer, envelope.id, topic]);
  const rows = await em.execute<{ event_id: string }[]>(
    `INSERT INTO inbox (consumer, event_id, topic) VALUES ${placeholders} ON CONFLICT DO NOTHING RETURNING event_id`,
    params,
  );
  return new Set(rows.map((row) => row.event_id));
}
