import { randomBytes } from 'node:crypto';
import { Kafka, Partitioners, logLevel, type KafkaMessage } from 'kafkajs';
import { createEnvelope, type EventEnvelope, type PayloadOf, type Topic } from '@huoju/contracts';
import Redis from 'ioredis';
import { Client } from 'pg';
import { infrastructureUrls } from './infrastructure';

/** A fresh namespace per test file: its own topics, consumer groups, schemas and BullMQ prefix on the shared services. */
export function testNamespace(label = 't'): string {
  return `${label}_${randomBytes(4).toString('hex')}`;
}

/** Environment for a service under test: the real services, isolated by namespace. */
export function serviceEnvironment(namespace: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const urls = infrastructureUrls();
  return {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    DATABASE_URL: urls.databaseUrl,
    KAFKA_BROKERS: urls.kafkaBrokers,
    REDIS_URL: urls.redisUrl,
    HUOJU_NAMESPACE: namespace,
    ...extra,
  };
}

export function testKafka(clientId = 'test'): Kafka {
  return new Kafka({ clientId, brokers: infrastructureUrls().kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
}

export interface ReceivedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Record<string, string>;
}

/**
 * Reads a topic from the beginning with a throwaway group until `enough` says so or the timeout passes.
 * Resolves with what arrived; never hangs a test.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  enough: (messages: readonly ReceivedMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<ReceivedMessage[]> {
  const consumer = kafka.consumer({
    groupId: `reader-${randomBytes(6).toString('hex')}`,
    allowAutoTopicCreation: false,
  });
  const received: ReceivedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: async ({ topic: from, partition, message }) => {
          received.push(toReceived(from, partition, message));
          if (enough(received)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

function toReceived(topic: string, partition: number, message: KafkaMessage): ReceivedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    headers,
  };
}

/** Polls until the check passes (returns a value other than undefined/false) or the timeout passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Removes the schemas and topics a test created, so the shared services do not fill up. */
export async function cleanUpNamespace(namespace: string, schemas: readonly string[]): Promise<void> {
  const client = new Client({ connectionString: infrastructureUrls().databaseUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}_${namespace}" CASCADE`);
  } finally {
    await client.end();
  }
  const redis = new Redis(infrastructureUrls().redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `huoju:${namespace}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  const admin = testKafka('cleanup').admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${namespace}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

export async function sqlQuery<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: infrastructureUrls().databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Publishes events in their envelopes to a namespaced topic, keyed as the services key them. */
export async function publishEvents<T extends Topic>(
  kafka: Kafka,
  namespace: string,
  topic: T,
  events: readonly { key: string; payload: PayloadOf<T> }[],
): Promise<EventEnvelope<T>[]> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const envelopes = events.map((event) => createEnvelope(topic, event.key, event.payload));
    await producer.send({
      topic: namespace ? `${namespace}.${topic}` : topic,
      acks: -1,
      messages: envelopes.map((envelope) => ({ key: envelope.key, value: JSON.stringify(envelope) })),
    });
    return envelopes;
  } finally {
    await producer.disconnect();
  }
}

/** Reads a topic's events (parsed envelopes) until `enough` says so or the timeout passes. */
export async function readEvents<T extends Topic>(
  kafka: Kafka,
  namespace: string,
  topic: T,
  enough: (events: readonly EventEnvelope<T>[]) => boolean,
  timeoutMs = 30_000,
): Promise<EventEnvelope<T>[]> {
  const parse = (messages: readonly ReceivedMessage[]) =>
    messages.map((message) => JSON.parse(message.value!) as EventEnvelope<T>);
  const messages = await readTopic(
    kafka,
    namespace ? `${namespace}.${topic}` : topic,
    (received) => enough(parse(received)),
    timeoutMs,
  );
  return parse(messages);
}
