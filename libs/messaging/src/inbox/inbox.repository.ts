import type { EntityManager } from '@mikro-orm/postgresql';

/** The SQL on the service's inbox table: which events a consumer has already applied. */
export class InboxRepository {
  /** Records the events not seen before and returns their ids; already recorded ids are skipped, not returned. */
  async insertUnseen(
    em: EntityManager,
    consumer: string,
    topic: string,
    eventIds: readonly string[],
  ): Promise<string[]> {
    if (eventIds.length === 0) return [];
    const placeholders = eventIds.map(() => '(?, ?, ?)').join(', ');
    const params = eventIds.flatMap((eventId) => [consumer, eventId, topic]);
    const rows = await em.execute<{ event_id: string }[]>(
      `INSERT INTO inbox (consumer, event_id, topic) VALUES ${placeholders} ON CONFLICT DO NOTHING RETURNING event_id`,
      params,
    );
    return rows.map((row) => row.event_id);
  }
}
