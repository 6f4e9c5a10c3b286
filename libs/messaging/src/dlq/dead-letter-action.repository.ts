import { Client } from 'pg';

export interface DeadLetterAction {
  readonly action: 'replay' | 'discard';
  readonly dlqTopic: string;
  readonly partition: number;
  readonly offset: string;
  readonly originalTopic: string;
  readonly reason: string;
  readonly actor: string;
  readonly note?: string;
}

/**
 * Every replay and discard of a parked message, kept in the `ops` schema of the namespace (owned by the
 * DLQ tool, read by operators: `SELECT * FROM ops.dead_letter_action ORDER BY at DESC`).
 */
export class DeadLetterActionRepository {
  constructor(
    private readonly databaseUrl: string,
    private readonly schema: string,
  ) {}

  async record(actions: readonly DeadLetterAction[]): Promise<void> {
    if (actions.length === 0) return;
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      const schema = `"${this.schema.replace(/"/g, '""')}"`;
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.dead_letter_action (
           id bigserial PRIMARY KEY,
           at timestamptz NOT NULL DEFAULT now(),
           action text NOT NULL,
           dlq_topic text NOT NULL,
           dlq_partition integer NOT NULL,
           dlq_offset bigint NOT NULL,
           original_topic text NOT NULL,
           reason text NOT NULL,
           actor text NOT NULL,
           note text
         )`,
      );
      await client.query(
        `INSERT INTO ${schema}.dead_letter_action (action, dlq_topic, dlq_partition, dlq_offset, original_topic, reason, actor, note)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS a(action text, "dlqTopic" text, partition int, "offset" bigint,
                "originalTopic" text, reason text, actor text, note text)`,
        [JSON.stringify(actions)],
      );
    } finally {
      await client.end();
    }
  }

  async history(limit: number): Promise<Record<string, unknown>[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      const exists = await client.query('SELECT to_regclass($1) AS table', [`"${this.schema}".dead_letter_action`]);
      if (!(exists.rows[0] as { table: string | null }).table) return [];
      const result = await client.query(
        `SELECT * FROM "${this.schema.replace(/"/g, '""')}".dead_letter_action ORDER BY id DESC LIMIT $1`,
        [limit],
      );
      return result.rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  }
}
