import { Migration } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import type { FilingSubmitted } from '@huoju/contracts';
import { namespaced } from '@huoju/platform';
import { migrate, ormOptions } from '@huoju/persistence';
import { cleanUpNamespace, eventually, infrastructureUrls, readTopic, testKafka, testNamespace } from '@huoju/testing';
import { MESSAGING_TABLES_SQL, Outbox, OutboxRelay, ensureTopics } from '../src';

class Migration00000000000001Messaging extends Migration {
  override up(): void {
    for (const statement of MESSAGING_TABLES_SQL) this.addSql(statement);
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
});
