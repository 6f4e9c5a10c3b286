import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import pino from 'pino';
import { createEnvelope, type EventEnvelope, type FilingSubmitted } from '@huoju/contracts';
import { namespaced } from '@huoju/platform';
import { cleanUpNamespace, eventually, readTopic, testKafka, testNamespace } from '@huoju/testing';
import { ConsumeEvent, KafkaBatchTransport, PermanentError, TransientError, createKafka, ensureTopics } from '../src';

const namespace = testNamespace('msg');
const names = namespaced(namespace);
const kafka = testKafka('messaging-test');
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const POISON = '00000000-0000-4000-8000-00000000dead';

const TRANSIENT = '40000000-0000-4000-8000-000000000001';
const SERIALIZATION = '40000000-0000-4000-8000-000000000002';
const IMPOSSIBLE = '40000000-0000-4000-8000-000000000003';
/** Failures left before each of these succeeds: more than the retry policy's attempts (3). */
const failuresLeft = new Map<string, number>();

const handled: string[] = [];
const batches: number[] = [];

function submitted(filingId: string, revision = 1): FilingSubmitted {
  return {
    filingId,
    revision,
    attempt: 1,
    uscc: '91310000MA1K000001',
    formId: 'torch-monthly',
    formVersion: '2026.1',
    period: '2026-03',
    values: { qc05_0: '1' },
    explanations: [],
    contentSha256: 'a'.repeat(64),
    receivedAt: new Date().toISOString(),
  };
}

@Controller()
class SingleHandler {
  @ConsumeEvent('filing.submitted.v1')
  handle(@Payload() envelope: EventEnvelope<'filing.submitted.v1'>): void {
    const { filingId } = envelope.payload;
    if (filingId === POISON) throw new Error('this filing always fails');
    if (filingId === IMPOSSIBLE) throw new PermanentError('a domain impossibility');
    const left = failuresLeft.get(filingId) ?? 0;
    if (left > 0) {
      failuresLeft.set(filingId, left - 1);
      if (filingId === TRANSIENT) throw new TransientError('the roster entry is still on its way');
      // What the pg driver throws on a serialization failure under REPEATABLE READ.
      throw Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' });
    }
    handled.push(envelope.payload.filingId);
  }
}

@Controller()
class BatchHandler {
  @ConsumeEvent('filing.validated.v1', { batch: true })
  handle(@Payload() envelopes: EventEnvelope<'filing.validated.v1'>[]): void {
    if (envelopes.some((envelope) => envelope.payload.filingId === POISON))
      throw new Error('a poison message in the batch');
    batches.push(envelopes.length);
    handled.push(...envelopes.map((envelope) => envelope.payload.filingId));
  }
}

@Module({ controllers: [SingleHandler, BatchHandler] })
class TestModule {}

async function startConsumer(): Promise<{ app: INestApplicationContext; transport: KafkaBatchTransport }> {
  const transport = new KafkaBatchTransport({
    kafka: createKafka({ brokers: ['127.0.0.1:9092'], clientId: 'transport-test', logger }),
    logger,
    groupId: names.group('transport-test'),
    physicalTopic: names.topic,
    partitions: 1,
    retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
  });
  const app = await NestFactory.createMicroservice(TestModule, { strategy: transport, logger: false });
  await app.listen();
  return { app, transport };
}

describe(KafkaBatchTransport.name, () => {
  const producer = kafka.producer();

  beforeAll(async () => {
    await ensureTopics(kafka, ['filing.submitted.v1', 'filing.validated.v1'], {
      partitions: 1,
      namespace: names.topic,
    });
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await cleanUpNamespace(namespace, []);
  });

  beforeEach(() => {
    handled.length = 0;
    batches.length = 0;
  });

  it('parks an unparseable message and a failing one in the DLQ with their reasons, and processes the messages behind them', async () => {
    const good = [
      '10000000-0000-4000-8000-000000000001',
      '10000000-0000-4000-8000-000000000002',
      '10000000-0000-4000-8000-000000000003',
    ];
    const topic = names.topic('filing.submitted.v1');
    const send = (value: string) => producer.send({ topic, acks: -1, messages: [{ key: 'same-key', value }] });
    await send(JSON.stringify(createEnvelope('filing.submitted.v1', 'same-key', submitted(good[0]!))));
    await send('{"this is": not json');
    await send(JSON.stringify(createEnvelope('filing.submitted.v1', 'same-key', submitted(POISON))));
    await send(
      JSON.stringify({
        ...createEnvelope('filing.submitted.v1', 'same-key', submitted(good[1]!)),
        payload: { filingId: 'x' },
      }),
    );
    await send(JSON.stringify(createEnvelope('filing.submitted.v1', 'same-key', submitted(good[2]!))));

    const { app, transport } = await startConsumer();
    try {
      await eventually(() => handled.length === 2);
      expect(handled).toEqual([good[0], good[2]]);

      const dead = await readTopic(kafka, names.topic('filing.submitted.v1.dlq'), (messages) => messages.length >= 3);
      expect(dead.map((message) => message.headers['dlq-reason'])).toEqual([
        expect.stringMatching(/^unparseable: not JSON/),
        expect.stringMatching(/^handler failed after 3 attempts: this filing always fails/),
        expect.stringMatching(/^unparseable: invalid filing.submitted.v1 payload.*\/filingId/),
      ]);
      expect(dead[0]!.value).toBe('{"this is": not json');
      expect(dead[1]!.headers).toMatchObject({
        'dlq-original-offset': '2',
        'dlq-attempts': '3',
        'dlq-original-topic': topic,
      });
      expect(transport.deadLetterCount).toBe(3);
    } finally {
      await app.close();
    }
  });

  it('hands batch handlers whole batches and isolates a poison message by retrying one by one', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `20000000-0000-4000-8000-00000000000${i}`);
    const validated = (filingId: string) =>
      createEnvelope('filing.validated.v1', 'k', {
        ...submitted(filingId),
        verdict: 1,
        reason: 'submitted',
        ruleSetVersion: '2026.1',
        outcome: 'accepted',
        findings: [],
        validatedAt: new Date().toISOString(),
      });
    const messages = [...ids.slice(0, 3).map(validated), validated(POISON), ...ids.slice(3).map(validated)];
    await producer.send({
      topic: names.topic('filing.validated.v1'),
      acks: -1,
      messages: messages.map((m) => ({ key: 'k', value: JSON.stringify(m) })),
    });

    const { app } = await startConsumer();
    try {
      await eventually(() => handled.length === 6);
      expect(handled).toEqual(ids);
      const dead = await readTopic(kafka, names.topic('filing.validated.v1.dlq'), (received) => received.length >= 1);
      expect(dead).toHaveLength(1);
      expect(dead[0]!.headers['dlq-reason']).toContain('a poison message in the batch');
    } finally {
      await app.close();
    }
  });

  it('resumes after a restart without redelivering what was committed', async () => {
    const { app } = await startConsumer();
    const id = '30000000-0000-4000-8000-000000000001';
    try {
      await producer.send({
        topic: names.topic('filing.submitted.v1'),
        acks: -1,
        messages: [{ key: 'k', value: JSON.stringify(createEnvelope('filing.submitted.v1', 'k', submitted(id))) }],
      });
      await eventually(() => handled.includes(id));
    } finally {
      await app.close();
    }
    expect(handled).toEqual([id]);
  });

  it('retries transient failures without limit and parks nothing, and parks a permanent failure at once', async () => {
    failuresLeft.set(TRANSIENT, 4);
    failuresLeft.set(SERIALIZATION, 4);
    const after = '40000000-0000-4000-8000-000000000009';
    const topic = names.topic('filing.submitted.v1');
    await producer.send({
      topic,
      acks: -1,
      messages: [TRANSIENT, SERIALIZATION, IMPOSSIBLE, after].map((id) => ({
        key: 'k',
        value: JSON.stringify(createEnvelope('filing.submitted.v1', 'k', submitted(id))),
      })),
    });
    const { app, transport } = await startConsumer();
    const blockedSeen: number[] = [];
    const watch = setInterval(() => blockedSeen.push(transport.blockedPartitions.length), 5);
    try {
      await eventually(() => handled.includes(after), 30_000);
      expect(handled).toEqual([TRANSIENT, SERIALIZATION, after]);
      expect(failuresLeft.get(TRANSIENT)).toBe(0);
      expect(failuresLeft.get(SERIALIZATION)).toBe(0);
      expect(Math.max(...blockedSeen)).toBe(1);
      expect(transport.blockedPartitions).toEqual([]);
      expect(transport.deadLetterCount).toBe(1);
      const dead = await readTopic(kafka, names.topic('filing.submitted.v1.dlq'), (received) =>
        received.some((message) => message.value?.includes(IMPOSSIBLE)),
      );
      const parked = dead.filter((message) => message.value?.includes('40000000-0000-4000-8000'));
      expect(parked).toHaveLength(1);
      expect(parked[0]!.headers['dlq-reason']).toBe('permanent failure: a domain impossibility');
      expect(parked[0]!.headers['dlq-attempts']).toBe('1');
    } finally {
      clearInterval(watch);
      await app.close();
    }
  });

  it('creates topics with the configured replication factor (this single broker refuses 2)', async () => {
    await expect(
      ensureTopics(kafka, ['aggregate.revised.v1'], { partitions: 1, replicationFactor: 2, namespace: names.topic }),
    ).rejects.toThrow('Topic creation errors');
  });
});
