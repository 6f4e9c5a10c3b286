import { Migration } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { Client } from 'pg';
import type { FilingSubmitted } from '@huoju/contracts';
import { namespaced } from '@huoju/platform';
import { migrate, ormOptions } from '@huoju/persistence';
import { ThrowawayKafka, eventually, infrastructureUrls, testNamespace } from '@huoju/testing';
import { MESSAGING_TABLES_SQL, OUTBOX_PARKING_SQL, Outbox, OutboxRelay, ensureTopics } from '../src';

class Migration00000000000001Messaging extends Migration {
  override up(): void {
    for (const statement of [...MESSAGING_TABLES_SQL, ...OUTBOX_PARKING_SQL]) this.addSql(statement);
  }
}

const namespace = testNamespace('relayfault');
const names = namespaced(namespace);
const schema = names.schema('relayfault');
const broker = new ThrowawayKafka(Number(process.env.FAULT_KAFKA_PORT ?? 19192));
const kafka = new Kafka({ clientId: 'relay-fault', brokers: [broker.brokers], logLevel: logLevel.NOTHING });

function submitted(revision: number): FilingSubmitted {
  return {
    filingId: '0b7e1c3e-6f0f-4a9e-9a53-8d1f0e2b6c11',
    revision,
    attempt: 1,
    uscc: `91310000MA1K${String(revision % 1000).padStart(6, '0')}`,
    formId: 'torch-monthly',
    formVersion: '2026.1',
    period: '2026-03',
    values: { qc05_0: String(revision) },
    explanations: [],
    contentSha256: 'a'.repeat(64),
    receivedAt: new Date().toISOString(),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`${OutboxRelay.name} under broker restarts`, () => {
  let orm: MikroORM;
  let sut: OutboxRelay;
  const outbox = new Outbox();
  let writing = true;
  let written = 0;
  let writer: Promise<void>;

  beforeAll(async () => {
    broker.start();
    const databaseUrl = infrastructureUrls().databaseUrl;
    orm = await MikroORM.init(
      ormOptions({ databaseUrl, schema, entities: [], migrations: [Migration00000000000001Messaging] }),
    );
    await migrate(orm, schema);
    await ensureTopics(kafka, ['filing.submitted.v1'], { partitions: 3, namespace: names.topic });
    sut = new OutboxRelay(orm, kafka, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), {
      databaseUrl,
      schema,
      physicalTopic: names.topic,
      pollIntervalMs: 1000,
      batchSize: 50,
    });
    // The relay starts while the broker is down, and must connect by itself once it is back.
    broker.stop();
    await sut.start();
    writer = (async () => {
      while (writing) {
        await orm.em
          .fork()
          .transactional(async (em) => {
            for (let i = 0; i < 5; i++) {
              written++;
              await outbox.add(em, {
                topic: 'filing.submitted.v1',
                key: `k${written % 17}`,
                payload: submitted(written),
              });
            }
          })
          .catch(() => undefined);
        await sleep(20);
      }
    })();
  }, 180_000);

  afterAll(async () => {
    writing = false;
    await writer;
    await sut.stop();
    await orm.close();
    const client = new Client({ connectionString: infrastructureUrls().databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
    broker.destroy();
  }, 120_000);

  async function pending(): Promise<number> {
    const [row] = await orm.em
      .fork()
      .execute<{ pending: string }[]>('SELECT count(*) AS pending FROM outbox WHERE published_at IS NULL');
    return Number(row!.pending);
  }

  it('starts while the broker is down and publishes once it is back', async () => {
    await eventually(() => sut.status().failingSince !== undefined, 45_000, 200);
    expect(sut.publishedCount).toBe(0);
    broker.start();
    await eventually(() => sut.publishedCount > 100, 60_000, 200);
  });

  it.each([0, 700, 3100])(
    'keeps publishing after the broker is stopped for 20 s and started again (stop after %i ms)',
    async (offsetMs) => {
      await sleep(offsetMs);
      broker.stop();
      await sleep(20_000);
      broker.start();
      const before = sut.publishedCount;
      await eventually(() => sut.publishedCount > before + 100, 90_000, 200);
      await eventually(async () => (await pending()) < 100, 60_000, 500);
    },
    240_000,
  );
});
