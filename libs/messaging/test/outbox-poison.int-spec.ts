import { Migration } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { ConfigResourceTypes } from 'kafkajs';
import pino from 'pino';
import { createEnvelope, type FilingSubmitted } from '@huoju/contracts';
import { Metrics, namespaced } from '@huoju/platform';
import { migrate, ormOptions } from '@huoju/persistence';
import { cleanUpNamespace, eventually, infrastructureUrls, readTopic, testKafka, testNamespace } from '@huoju/testing';
import { MESSAGING_TABLES_SQL, OUTBOX_PARKING_SQL, Outbox, OutboxRelay, ensureTopics } from '../src';
import { runDlqCommand } from '../src/dlq/dlq.command';

class Migration00000000000001Messaging extends Migration {
  override up(): void {
    for (const statement of [...MESSAGING_TABLES_SQL, ...OUTBOX_PARKING_SQL]) this.addSql(statement);
  }
}

const namespace = testNamespace('poison');
const names = namespaced(namespace);
const schema = names.schema('poisontest');
const kafka = testKafka('poison-test');
const topic = 'filing.submitted.v1';
const key = '91310000MA1K000002';
/** Over the broker's message.max.bytes (1 MiB by default, which the shared broker keeps). */
const TOO_LARGE = 1_300_000;

function submitted(revision: number): FilingSubmitted {
  return {
    filingId: '0b7e1c3e-6f0f-4a9e-9a53-8d1f0e2b6c12',
    revision,
    attempt: 1,
    uscc: key,
    formId: 'torch-monthly',
    formVersion: '2026.1',
    period: '2026-03',
    values: { qc05_0: String(revision) },
    explanations: [],
    contentSha256: 'a'.repeat(64),
    receivedAt: new Date().toISOString(),
  };
}

describe(`${OutboxRelay.name} with a row the broker refuses`, () => {
  const databaseUrl = infrastructureUrls().databaseUrl;
  const metrics = new Metrics('poison-test');
  let orm: MikroORM;
  let sut: OutboxRelay;

  beforeAll(async () => {
    orm = await MikroORM.init(
      ormOptions({ databaseUrl, schema, entities: [], migrations: [Migration00000000000001Messaging] }),
    );
    await migrate(orm, schema);
    await ensureTopics(kafka, [topic], { partitions: 1, namespace: names.topic });
    sut = new OutboxRelay(orm, kafka, pino({ level: 'silent' }), {
      databaseUrl,
      schema,
      physicalTopic: names.topic,
      pollIntervalMs: 200,
      metrics,
    });
  });

  afterAll(async () => {
    await sut.stop();
    await orm.close();
    await cleanUpNamespace(namespace, ['poisontest']);
  });

  it('parks the row with the reason, publishes the rows before and after it, and replays it after a fix', async () => {
    // Committed before the relay starts, so all three are in one batch: the refusal must be told apart.
    const outbox = new Outbox();
    let poisonId = '';
    await orm.em.fork().transactional(async (em) => {
      await outbox.add(em, { topic, key, payload: submitted(1) });
      const poison = { ...createEnvelope(topic, key, submitted(2)), padding: 'x'.repeat(TOO_LARGE) };
      const [row] = await em.execute<{ id: string }[]>(
        `INSERT INTO outbox (topic, message_key, envelope) VALUES (?, ?, ?::jsonb) RETURNING id::text AS id`,
        [topic, key, JSON.stringify(poison)],
      );
      poisonId = row!.id;
      await outbox.add(em, { topic, key, payload: submitted(3) });
    });
    await sut.start();

    const published = await readTopic(kafka, names.topic(topic), (received) => received.length >= 2, 30_000);
    const revisions = published.map((m) => (JSON.parse(m.value!) as { payload: FilingSubmitted }).payload.revision);
    expect(revisions).toEqual([1, 3]);

    const backlog = await eventually(async () => {
      const current = await sut.backlog();
      return current.pending === 0 && current.parked === 1 ? current : undefined;
    });
    expect(backlog.oldestParkedAgeMs).toBeGreaterThanOrEqual(0);
    // Parking is not a stall: the relay keeps publishing and the service stays ready.
    expect(sut.stalled(backlog)).toBeUndefined();
    expect(await metrics.scrape()).toContain('huoju_outbox_parked{service="poison-test"} 1');

    const listed = (
      await runDlqCommand(['outbox-list'], { DATABASE_URL: databaseUrl, HUOJU_NAMESPACE: namespace })
    ).map((line) => JSON.parse(line) as { schema: string; id: string; topic: string; reason: string; bytes: number });
    expect(listed).toEqual([
      expect.objectContaining({ schema, id: poisonId, topic, bytes: expect.any(Number) as number }),
    ]);
    expect(listed[0]!.bytes).toBeGreaterThan(TOO_LARGE);
    expect(listed[0]!.reason).toMatch(/larger than the max message size/i);

    // The fix: the topic takes larger messages. Then the replay publishes the parked row.
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: names.topic(topic),
            configEntries: [{ name: 'max.message.bytes', value: String(4 * 1024 * 1024) }],
          },
        ],
      });
    } finally {
      await admin.disconnect();
    }
    const replayed = await runDlqCommand(['outbox-replay', schema, '--id', poisonId, '--note', 'topic limit raised'], {
      DATABASE_URL: databaseUrl,
      HUOJU_NAMESPACE: namespace,
    });
    expect(JSON.parse(replayed[0]!)).toEqual({ replayed: 1, schema });
    const all = await readTopic(kafka, names.topic(topic), (received) => received.length >= 3, 30_000);
    expect(all.map((m) => (JSON.parse(m.value!) as { payload: FilingSubmitted }).payload.revision)).toEqual([1, 3, 2]);
    await eventually(async () => (await sut.backlog()).parked === 0);
    const history = await runDlqCommand(['history'], { DATABASE_URL: databaseUrl, HUOJU_NAMESPACE: namespace });
    expect(history.map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ action: 'replay', dlq_topic: `${schema}.outbox`, dlq_offset: poisonId }),
    );
  });
});
