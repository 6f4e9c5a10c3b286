import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Partitioners, type Consumer, type Producer } from 'kafkajs';
import { Pool, type PoolClient } from 'pg';
import { z } from 'zod';
import { testKafka } from '@huoju/testing';

/**
 * The bare pipeline floor: the smallest program doing the platform's durable work for one filing —
 * HTTP POST → one PostgreSQL transaction (filing + outbox row) → relay → Kafka → one transaction (verdict +
 * outbox row) → relay → Kafka → one transaction (a fact row per indicator). No auth, rules, ORM, Nest or
 * framework; batches where the platform batches (relays, eachBatch). One process, so its CPU is measured
 * whole. Args: port, database URL, namespace. Prints "ready" when it accepts filings.
 */
const [port, databaseUrl, namespace] = process.argv.slice(2) as [string, string, string];
const schema = `floor_${namespace}`;
const topics = { submitted: `floor.${namespace}.submitted`, validated: `floor.${namespace}.validated` };
const pool = new Pool({ connectionString: databaseUrl, max: 20 });
const kafka = testKafka(`floor-${namespace}`);
const body = z.object({
  formId: z.string(),
  period: z.string(),
  values: z.record(z.string(), z.string().regex(/^-?\d+(\.\d+)?$/)),
});

async function inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function setUp(): Promise<void> {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  for (const table of [
    `filing (id uuid PRIMARY KEY, uscc text NOT NULL, body jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`,
    `outbox_submitted (id bigserial PRIMARY KEY, message_key text NOT NULL, value text NOT NULL)`,
    `verdict (filing_id uuid PRIMARY KEY, outcome text NOT NULL, body jsonb NOT NULL)`,
    `outbox_validated (id bigserial PRIMARY KEY, message_key text NOT NULL, value text NOT NULL)`,
    `fact (filing_id uuid NOT NULL, indicator text NOT NULL, value numeric NOT NULL, PRIMARY KEY (filing_id, indicator))`,
  ])
    await pool.query(`CREATE TABLE IF NOT EXISTS ${schema}.${table}`);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })),
    waitForLeaders: true,
  });
  await admin.disconnect();
}

/** Publishes an outbox table: claim up to 500 rows, send them (acks=all), delete them, in one transaction. */
async function relay(table: string, topic: string, producer: Producer, stopped: () => boolean): Promise<void> {
  while (!stopped()) {
    const sent = await inTransaction(async (client) => {
      const rows = await client.query<{ message_key: string; value: string }>(
        `DELETE FROM ${schema}.${table} WHERE id IN (SELECT id FROM ${schema}.${table} ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED)
         RETURNING message_key, value`,
      );
      if (rows.rows.length > 0)
        await producer.send({
          topic,
          acks: -1,
          messages: rows.rows.map((r) => ({ key: r.message_key, value: r.value })),
        });
      return rows.rows.length;
    });
    if (sent === 0) await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function consume(
  consumer: Consumer,
  topic: string,
  apply: (client: PoolClient, values: string[]) => Promise<void>,
): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      await inTransaction((client) =>
        apply(
          client,
          batch.messages.map((m) => m.value!.toString()),
        ),
      );
    },
  });
}

async function main(): Promise<void> {
  await setUp();
  let stopping = false;
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const relays = [
    relay('outbox_submitted', topics.submitted, producer, () => stopping),
    relay('outbox_validated', topics.validated, producer, () => stopping),
  ];
  const validation = kafka.consumer({ groupId: `floor-validation-${namespace}` });
  const aggregation = kafka.consumer({ groupId: `floor-aggregation-${namespace}` });
  // Stage 2: every filing gets a verdict and its event, in one transaction per batch.
  await consume(validation, topics.submitted, async (client, values) => {
    const verdicts = values.map((value) => JSON.parse(value) as { id: string; uscc: string; values: object });
    await client.query(
      `INSERT INTO ${schema}.verdict (filing_id, outcome, body)
       SELECT (v ->> 'id')::uuid, 'accepted', v FROM jsonb_array_elements($1::jsonb) AS v ON CONFLICT DO NOTHING`,
      [JSON.stringify(verdicts)],
    );
    await client.query(
      `INSERT INTO ${schema}.outbox_validated (message_key, value) SELECT v ->> 'uscc', v::text FROM jsonb_array_elements($1::jsonb) AS v`,
      [JSON.stringify(verdicts)],
    );
  });
  // Stage 3: the facts, one row per indicator, in one transaction per batch.
  await consume(aggregation, topics.validated, async (client, values) => {
    await client.query(
      `INSERT INTO ${schema}.fact (filing_id, indicator, value)
       SELECT (v ->> 'id')::uuid, e.key, e.value::numeric FROM jsonb_array_elements($1::jsonb) AS v, jsonb_each_text(v -> 'values') e
       ON CONFLICT DO NOTHING`,
      [`[${values.join(',')}]`],
    );
  });

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.post('/v1/filings', async (request, reply) => {
    const parsed = body.safeParse(request.body);
    if (!parsed.success) return reply.status(422).send({ errors: parsed.error.issues.length });
    const id = randomUUID();
    const uscc = String(request.headers['x-uscc'] ?? '91310000MA1K000001');
    const event = JSON.stringify({ id, uscc, values: parsed.data.values });
    await inTransaction(async (client) => {
      await client.query(`INSERT INTO ${schema}.filing (id, uscc, body) VALUES ($1, $2, $3::jsonb)`, [
        id,
        uscc,
        JSON.stringify(parsed.data),
      ]);
      await client.query(`INSERT INTO ${schema}.outbox_submitted (message_key, value) VALUES ($1, $2)`, [uscc, event]);
    });
    return reply.status(202).send({ filingId: id, revision: 1, status: 'received' });
  });
  await app.listen({ port: Number(port), host: '127.0.0.1' });
  console.log('ready');

  process.once('SIGTERM', () => {
    stopping = true;
    void (async () => {
      await app.close();
      await Promise.allSettled(relays);
      await Promise.allSettled([validation.disconnect(), aggregation.disconnect(), producer.disconnect()]);
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await admin.disconnect();
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
      process.exit(0);
    })();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
