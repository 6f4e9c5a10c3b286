import { Client } from 'pg';

export interface ParkedOutboxRow {
  readonly schema: string;
  readonly id: string;
  readonly topic: string;
  readonly key: string;
  readonly eventId: string;
  readonly bytes: number;
  readonly reason: string;
  readonly createdAt: string;
  readonly parkedAt: string;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The operators' side of parked outbox rows, across the services' schemas (for `npm run dlq`): list them,
 * and replay them by clearing the mark, after which the relay of that schema publishes them in id order.
 */
export class ParkedOutboxRepository {
  constructor(private readonly databaseUrl: string) {}

  /** Schemas holding an outbox that can park rows; with a namespace, only that namespace's. */
  async schemas(namespace: string): Promise<string[]> {
    return this.query(async (client) => {
      const result = await client.query<{ schema: string }>(
        `SELECT table_schema AS schema FROM information_schema.columns
          WHERE table_name = 'outbox' AND column_name = 'parked_at'
            AND ($1 = '' OR right(table_schema, length($1) + 1) = '_' || $1)
          ORDER BY 1`,
        [namespace],
      );
      return result.rows.map((row) => row.schema);
    });
  }

  async list(schemas: readonly string[], limit: number): Promise<ParkedOutboxRow[]> {
    return this.query(async (client) => {
      const rows: ParkedOutboxRow[] = [];
      for (const schema of schemas) {
        const result = await client.query<{
          id: string;
          topic: string;
          message_key: string;
          event_id: string;
          bytes: number;
          reason: string;
          created_at: Date;
          parked_at: Date;
        }>(
          `SELECT id::text AS id, topic, message_key, envelope->>'id' AS event_id, octet_length(envelope::text) AS bytes,
                  parked_reason AS reason, created_at, parked_at
             FROM ${quote(schema)}.outbox WHERE parked_at IS NOT NULL AND published_at IS NULL ORDER BY id LIMIT $1`,
          [limit],
        );
        for (const row of result.rows) {
          rows.push({
            schema,
            id: row.id,
            topic: row.topic,
            key: row.message_key,
            eventId: row.event_id,
            bytes: row.bytes,
            reason: row.reason,
            createdAt: row.created_at.toISOString(),
            parkedAt: row.parked_at.toISOString(),
          });
        }
      }
      return rows;
    });
  }

  /** Clears the mark of the given rows (or all of the schema's) and wakes its relay; returns what was replayed. */
  async replay(schema: string, ids: readonly string[] | 'all'): Promise<ParkedOutboxRow[]> {
    const parked = (await this.list([schema], 100_000)).filter((row) => ids === 'all' || ids.includes(row.id));
    if (parked.length === 0) return [];
    await this.query(async (client) => {
      await client.query(
        `UPDATE ${quote(schema)}.outbox SET parked_at = NULL, parked_reason = NULL
          WHERE parked_at IS NOT NULL AND published_at IS NULL AND id IN (SELECT jsonb_array_elements_text($1::jsonb)::bigint)`,
        [JSON.stringify(parked.map((row) => row.id))],
      );
      await client.query(`SELECT pg_notify($1, '')`, [`outbox_${schema}`]);
    });
    return parked;
  }

  private async query<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}
