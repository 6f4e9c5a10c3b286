import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from 'pg';
import type { EventEnvelope } from '@huoju/contracts';

export interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  envelope: EventEnvelope;
}

export interface OutboxBacklog {
  /** Rows not yet published. */
  readonly pending: number;
  /** Age of the oldest of them, 0 when there is none. */
  readonly oldestAgeMs: number;
  /** Rows parked because the broker refused them for good (not pending: the relay skips them). */
  readonly parked: number;
  /** How long the oldest parked row has been parked, 0 when there is none. */
  readonly oldestParkedAgeMs: number;
}

/** One row to write: the envelope as stored, beside its topic and key. */
export interface NewOutboxRow {
  readonly topic: string;
  readonly key: string;
  readonly envelope: unknown;
}

/** The SQL on the service's outbox table (the table itself is in outbox.sql.ts), for producers and the relay. */
export class OutboxRepository {
  /** In the caller's transaction, so the events commit with the change they describe. */
  async insert(em: EntityManager, rows: readonly NewOutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    const placeholders = rows.map(() => '(?, ?, ?::jsonb)').join(', ');
    const params = rows.flatMap((row) => [row.topic, row.key, JSON.stringify(row.envelope)]);
    await em.execute(`INSERT INTO outbox (topic, message_key, envelope) VALUES ${placeholders}`, params, 'run');
  }

  /** Subscribes a dedicated connection to the schema's commit notifications (see outbox.sql.ts's trigger). */
  async listen(client: Client, schema: string): Promise<void> {
    await client.query(`LISTEN "outbox_${schema.replace(/"/g, '""')}"`);
  }

  /** One relay per schema publishes at a time; the lock ends with the transaction (or its lost connection). */
  async tryLock(tx: EntityManager, schema: string): Promise<boolean> {
    const [row] = await tx.execute<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock(hashtext(?)) AS locked', [
      `${schema}.outbox`,
    ]);
    return row?.locked === true;
  }

  async pendingBatch(tx: EntityManager, limit: number): Promise<OutboxRow[]> {
    return tx.execute<OutboxRow[]>(
      'SELECT id, topic, message_key, envelope FROM outbox WHERE published_at IS NULL AND parked_at IS NULL ORDER BY id LIMIT ?',
      [limit],
    );
  }

  /** By id, never by range: a row with a lower id may commit later and must not be marked unseen. */
  async markPublished(tx: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.execute(`UPDATE outbox SET published_at = now() WHERE id IN (${ids.map(() => '?').join(', ')})`, [...ids]);
  }

  /** Takes the row out of the relay's way, with the broker's reason, in the relay's transaction. */
  async park(tx: EntityManager, id: string, reason: string): Promise<void> {
    await tx.execute(`UPDATE outbox SET parked_at = now(), parked_reason = ? WHERE id = ? AND published_at IS NULL`, [
      reason.slice(0, 2000),
      id,
    ]);
  }

  async backlog(em: EntityManager): Promise<OutboxBacklog> {
    const [row] = await em.execute<
      { pending: string; oldest_age_ms: string | null; parked: string; oldest_parked_age_ms: string | null }[]
    >(
      `SELECT count(*) FILTER (WHERE parked_at IS NULL) AS pending,
              (extract(epoch FROM now() - min(created_at) FILTER (WHERE parked_at IS NULL)) * 1000)::bigint AS oldest_age_ms,
              count(*) FILTER (WHERE parked_at IS NOT NULL) AS parked,
              (extract(epoch FROM now() - min(parked_at)) * 1000)::bigint AS oldest_parked_age_ms
         FROM outbox WHERE published_at IS NULL`,
    );
    return {
      pending: Number(row?.pending ?? 0),
      oldestAgeMs: Number(row?.oldest_age_ms ?? 0),
      parked: Number(row?.parked ?? 0),
      oldestParkedAgeMs: Number(row?.oldest_parked_age_ms ?? 0),
    };
  }
}
