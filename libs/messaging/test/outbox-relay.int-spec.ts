import { Migration } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { createServer, type Server } from 'node:net';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import pino from 'pino';
import { Client } from 'pg';
import type { FilingSubmitted } from '@huoju/contracts';
import { namespaced } from '@huoju/platform';
import { migrate, ormOptions } from '@huoju/persistence';
import { cleanUpNamespace, eventually, infrastructureUrls, readTopic, testKafka, testNamespace } from '@huoju/testing';
import { MESSAGING_TABLES_SQL, OUTBOX_PARKING_SQL, Outbox, OutboxRelay, ensureTopics } from '../src';

class Migration00000000000001Messaging extends Migration {
  override up(): void {
    for (const statement of [...MESSAGING_TABLES_SQL, ...OUTBOX_PARKING_SQL]) this.addSql(statement);
  }
}

const namespace = testNamespace('relay');
const names = namespaced(namespace);
const schema = names.schema('relaytest');
const kafka = testKafka('relay-test');

function submitted(revision: number): FilingSubmitted {
  return {
    filingId: '0b7e1c3e-6f0f-4a9e-9a53-8d1f0e2b6c11',
    revision,
    attempt: 1,
    uscc: '91310000MA1K000001',
    formId: 'torch-monthly',
    formVersion: '2026.1',
    period: '2026-03',
    values: { qc05_0: String(revision) },
    explanations: [],
    contentSha256: 'a'.repeat(64),
    receivedAt: new Date().toISOString(),
  };
}

describe(OutboxRelay.name, () => {
  let orm: MikroORM;
  let sut: OutboxRelay;
  const outbox = new Outbox();

  beforeAll(async () => {
    const databaseUrl = infrastructureUrls().databaseUrl;
    orm = await MikroORM.init(
      ormOptions({ databaseUrl, schema, entities: [], migrations: [Migration00000000000001Messaging] }),
    );
    await migrate(orm, schema);
    await ensureTopics(kafka, ['filing.submitted.v1'], { partitions: 3, namespace: names.topic });
    sut = new OutboxRelay(orm, kafka, pino({ level: 'silent' }), {
      databaseUrl,
      schema,
      physicalTopic: names.topic,
      pollIntervalMs: 60_000,
    });
    await sut.start();
  });

  afterAll(async () => {
    await sut.stop();
    await orm.close();
    await cleanUpNamespace(namespace, ['relaytest']);
  });

  it('publishes committed rows in order, woken by the commit, and never a rolled-back one', async () => {
    await orm.em.fork().transactional(async (em) => {
      for (let revision = 1; revision <= 5; revision++) {
        await outbox.add(em, {
          topic: 'filing.submitted.v1',
          key: '91310000MA1K000001',
          payload: submitted(revision),
          correlationId: 'c-1',
        });
      }
    });
    await expect(
      orm.em.fork().transactional(async (em) => {
        await outbox.add(em, { topic: 'filing.submitted.v1', key: '91310000MA1K000001', payload: submitted(99) });
        throw new Error('the change failed, so its event must not exist');
      }),
    ).rejects.toThrow('must not exist');

    // The poll interval is a minute: only the NOTIFY at commit can wake the relay in time.
    const messages = await readTopic(
      kafka,
      names.topic('filing.submitted.v1'),
      (received) => received.length >= 5,
      20_000,
    );
    const revisions = messages.map(
      (message) => (JSON.parse(message.value!) as { payload: FilingSubmitted }).payload.revision,
    );
    expect(revisions).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(messages.map((message) => message.partition)).size).toBe(1);
    expect(messages[0]!.headers['correlation-id']).toBe('c-1');
    await eventually(async () => {
      const [row] = await orm.em
        .fork()
        .execute<{ pending: string }[]>('SELECT count(*) AS pending FROM outbox WHERE published_at IS NULL');
      return Number(row!.pending) === 0;
    });
    expect(sut.publishedCount).toBe(5);
  });

  async function addOne(revision: number): Promise<void> {
    await orm.em.fork().transactional(async (em) => {
      await outbox.add(em, { topic: 'filing.submitted.v1', key: `k-${revision}`, payload: submitted(revision) });
    });
  }

  async function pending(): Promise<number> {
    const backlog = await sut.backlog();
    return backlog.pending;
  }

  it('re-opens its LISTEN connection after the connection is terminated', async () => {
    await eventually(() => sut.status().listening);
    const admin = new Client({ connectionString: infrastructureUrls().databaseUrl });
    await admin.connect();
    try {
      const terminated = await admin.query<{ pid: number }>(
        `SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity WHERE query LIKE 'LISTEN "outbox_${schema}"%'`,
      );
      expect(terminated.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await eventually(() => !sut.status().listening, 5_000, 20);
    await eventually(() => sut.status().listening, 10_000);
    const before = sut.publishedCount;
    await addOne(100);
    // The poll is a minute away: only a re-opened LISTEN can wake the relay this soon.
    await eventually(() => sut.publishedCount === before + 1, 10_000);
  });

  describe('with a broker call that never answers', () => {
    let relay: OutboxRelay;
    let producers = 0;

    afterEach(async () => relay?.stop());

    it('abandons the call, replaces the producer, reports the failure and publishes once the broker answers', async () => {
      const real = kafka;
      // The first producer's sends hang forever, like a kafkajs send left pending across a broker restart.
      const hanging = {
        producer: (config: Parameters<Kafka['producer']>[0]): Producer => {
          producers++;
          const producer = real.producer(config);
          if (producers === 1) producer.sendBatch = () => new Promise(() => undefined);
          return producer;
        },
      } as Kafka;
      await sut.stop();
      relay = new OutboxRelay(orm, hanging, pino({ level: 'silent' }), {
        databaseUrl: infrastructureUrls().databaseUrl,
        schema,
        physicalTopic: names.topic,
        pollIntervalMs: 200,
        sendTimeoutMs: 1_000,
        stallAfterMs: 60_000,
      });
      await addOne(200);
      await relay.start();
      await eventually(() => relay.status().lastError?.includes('did not acknowledge'), 10_000, 20);
      await eventually(() => relay.publishedCount === 1, 20_000);
      expect(producers).toBe(2);
      expect(relay.status().failingSince).toBeUndefined();
      expect(await pending()).toBe(0);
    });

    it('is stalled (for readiness) when it cannot reach a broker for longer than allowed', async () => {
      // A port that accepts connections and never answers.
      const blackhole: Server = createServer(() => undefined);
      await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
      const { port } = blackhole.address() as { port: number };
      const unreachable = new Kafka({
        clientId: 'blackhole',
        brokers: [`127.0.0.1:${port}`],
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      });
      relay = new OutboxRelay(orm, unreachable, pino({ level: 'silent' }), {
        databaseUrl: infrastructureUrls().databaseUrl,
        schema,
        physicalTopic: names.topic,
        sendTimeoutMs: 300,
        stallAfterMs: 1_000,
      });
      try {
        await addOne(300);
        await relay.start();
        expect(relay.stalled(await relay.backlog())).toBeUndefined();
        await eventually(() => relay.status().failingSince !== undefined, 5_000, 20);
        const stalled = await eventually(async () => relay.stalled(await relay.backlog()), 10_000, 100);
        expect(stalled).toMatch(/failed for \d+ s/);
      } finally {
        await relay.stop();
        blackhole.close();
      }
    });
  });
});
