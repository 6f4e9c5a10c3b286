import { Controller, Module } from '@nestjs/common';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import pino from 'pino';
import { createEnvelope, type EventEnvelope, type FilingSubmitted } from '@huoju/contracts';
import { namespaced } from '@huoju/platform';
import { cleanUpNamespace, eventually, infrastructureUrls, testKafka, testNamespace } from '@huoju/testing';
import { Client } from 'pg';
import { ConsumeEvent, KafkaBatchTransport, PermanentError, createKafka, ensureTopics, runDlqCommand } from '../src';

const namespace = testNamespace('dlq');
const names = namespaced(namespace);
const kafka = testKafka('dlq-test');
const logger = pino({ level: 'silent' });

/** The handler's bug: it refuses revision 2 until it is fixed. */
let fixed = false;
const applied: number[] = [];

@Controller()
class BuggyHandler {
  @ConsumeEvent('filing.submitted.v1')
  handle(@Payload() envelope: EventEnvelope<'filing.submitted.v1'>): void {
    if (envelope.payload.revision === 2 && !fixed) throw new PermanentError('revision 2 is not supported');
    applied.push(envelope.payload.revision);
  }
}

@Module({ controllers: [BuggyHandler] })
class BuggyModule {}

function submitted(revision: number): FilingSubmitted {
  return {
    filingId: '50000000-0000-4000-8000-000000000001',
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

describe('npm run dlq', () => {
  const env = { ...infrastructureUrls(), HUOJU_NAMESPACE: namespace };
  const dlq = (...args: string[]) =>
    runDlqCommand(args, { KAFKA_BROKERS: env.kafkaBrokers, DATABASE_URL: env.databaseUrl, HUOJU_NAMESPACE: namespace });
  let app: INestMicroservice;

  beforeAll(async () => {
    await ensureTopics(kafka, ['filing.submitted.v1'], { partitions: 1, namespace: names.topic });
    const transport = new KafkaBatchTransport({
      kafka: createKafka({ brokers: [env.kafkaBrokers], clientId: 'dlq-test', logger }),
      logger,
      groupId: names.group('dlq-test'),
      physicalTopic: names.topic,
      partitions: 1,
      retry: { attempts: 2, initialDelayMs: 20, maxDelayMs: 50 },
    });
    app = await NestFactory.createMicroservice(BuggyModule, { strategy: transport, logger: false });
    await app.listen();
  });

  afterAll(async () => {
    await app.close();
    await cleanUpNamespace(namespace, ['ops']);
  });

  it('parks a poison message, and replays it after the handler is fixed, recording the action', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: names.topic('filing.submitted.v1'),
      acks: -1,
      messages: [1, 2, 3].map((revision) => ({
        key: 'k',
        value: JSON.stringify(createEnvelope('filing.submitted.v1', 'k', submitted(revision))),
      })),
    });
    await producer.disconnect();
    await eventually(() => applied.length === 2);
    expect(applied).toEqual([1, 3]);

    const queue = names.topic('filing.submitted.v1.dlq');
    const listed = await eventually(async () => {
      const queues = (await dlq('list')).map((line) => JSON.parse(line) as { topic: string; depth: number });
      return queues.find((q) => q.topic === queue && q.depth === 1);
    });
    expect(listed).toMatchObject({ topic: queue, depth: 1, oldestParkedAt: expect.any(String) });
    const [shown] = (await dlq('show', 'filing.submitted.v1.dlq')).map(
      (line) => JSON.parse(line) as { reason: string; value: string },
    );
    expect(shown!.reason).toBe('permanent failure: revision 2 is not supported');

    fixed = true;
    expect(await dlq('replay', 'filing.submitted.v1.dlq', '--all', '--actor', 'test')).toEqual([
      JSON.stringify({ replayed: 1, topic: queue }),
    ]);
    await eventually(() => applied.includes(2));
    expect(applied).toEqual([1, 3, 2]);

    const after = (await dlq('list')).map((line) => JSON.parse(line) as { topic: string; depth: number });
    expect(after.find((q) => q.topic === queue)).toMatchObject({ depth: 0 });
    expect(await dlq('replay', 'filing.submitted.v1.dlq', '--all')).toEqual([
      JSON.stringify({ replayed: 0, topic: queue }),
    ]);

    const client = new Client({ connectionString: env.databaseUrl });
    await client.connect();
    try {
      const recorded = await client.query(
        `SELECT action, dlq_offset, actor, reason FROM "ops_${namespace}".dead_letter_action ORDER BY id`,
      );
      expect(recorded.rows).toEqual([
        { action: 'replay', dlq_offset: '0', actor: 'test', reason: 'permanent failure: revision 2 is not supported' },
      ]);
    } finally {
      await client.end();
    }
  });
});
