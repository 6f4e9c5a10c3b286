import { randomBytes } from 'node:crypto';
import { Partitioners, type IHeaders, type Kafka, type KafkaMessage } from 'kafkajs';
import { isTopic } from '@huoju/contracts';

/** A parked message as the DLQ tool shows it. */
export interface ParkedMessage {
  readonly dlqTopic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly reason: string;
  readonly originalTopic: string;
  readonly parkedAt: string | undefined;
  readonly headers: Record<string, string>;
}

export interface DeadLetterQueue {
  readonly topic: string;
  /** Parked messages neither replayed nor discarded yet. */
  readonly depth: number;
  readonly oldestParkedAt?: string;
}

/**
 * Dead-letter topics of one namespace, handled in order: the consumer group `<namespace>.dlq-admin`
 * (never an active member) marks how far each partition was replayed or discarded, so depth is the high
 * watermark minus that offset, on every machine, from Kafka alone.
 */
export class DeadLetterAdmin {
  readonly groupId: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly namespace: string,
  ) {
    this.groupId = namespace ? `${namespace}.dlq-admin` : 'dlq-admin';
  }

  /** Every dead-letter topic of the namespace (or the given ones) with its depth and oldest parked message. */
  async queues(only?: readonly string[]): Promise<DeadLetterQueue[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const prefix = this.namespace ? `${this.namespace}.` : '';
      // Only this namespace's dead-letter topics: `<prefix><known topic>.dlq`.
      const topics =
        only ??
        (await admin.listTopics()).filter(
          (t) => t.endsWith('.dlq') && t.startsWith(prefix) && isTopic(t.slice(prefix.length, -'.dlq'.length)),
        );
      const result: DeadLetterQueue[] = [];
      for (const topic of [...topics].sort()) {
        const pending = await this.pendingRanges(admin, topic);
        const depth = pending.reduce((sum, range) => sum + range.count, 0);
        const first = depth > 0 ? await this.read(topic, 1) : [];
        result.push({ topic, depth, oldestParkedAt: first[0]?.parkedAt });
      }
      return result;
    } finally {
      await admin.disconnect();
    }
  }

  /** The first `limit` pending messages of a dead-letter topic, in partition and offset order. */
  async read(topic: string, limit: number): Promise<ParkedMessage[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    let ranges: PendingRange[];
    try {
      ranges = (await this.pendingRanges(admin, topic)).filter((range) => range.count > 0);
    } finally {
      await admin.disconnect();
    }
    if (ranges.length === 0) return [];
    const wanted = new Map(ranges.map((r) => [r.partition, Math.min(r.count, limit)]));
    const received = new Map<number, ParkedMessage[]>(ranges.map((r) => [r.partition, []]));
    const consumer = this.kafka.consumer({ groupId: `dlq-reader-${randomBytes(6).toString('hex')}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`could not read ${topic} within 30 s`)), 30_000);
        const done = () => [...wanted].every(([partition, count]) => (received.get(partition)?.length ?? 0) >= count);
        void consumer.run({
          eachMessage: ({ partition, message }) => {
            const list = received.get(partition);
            const count = wanted.get(partition) ?? 0;
            if (list && list.length < count) list.push(toParked(topic, partition, message));
            if (done()) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        });
        for (const range of ranges) consumer.seek({ topic, partition: range.partition, offset: range.from });
      });
    } finally {
      await consumer.disconnect();
    }
    return [...received.values()].flat().slice(0, limit);
  }

  /** Publishes the messages to their original topics again (headers kept, dlq-* dropped) and marks them handled. */
  async replay(messages: readonly ParkedMessage[]): Promise<void> {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    try {
      for (const message of messages) {
        const headers: IHeaders = Object.fromEntries(
          Object.entries(message.headers).filter(([name]) => !name.startsWith('dlq-')),
        );
        headers['dlq-replayed-from'] = `${message.dlqTopic}/${message.partition}/${message.offset}`;
        await producer.send({
          topic: message.originalTopic,
          acks: -1,
          messages: [{ key: message.key, value: message.value, headers }],
        });
      }
    } finally {
      await producer.disconnect();
    }
    await this.markHandled(messages);
  }

  /** Marks the messages handled without replaying them. */
  async discard(messages: readonly ParkedMessage[]): Promise<void> {
    await this.markHandled(messages);
  }

  private async markHandled(messages: readonly ParkedMessage[]): Promise<void> {
    const next = new Map<string, Map<number, bigint>>();
    for (const message of messages) {
      const byPartition = next.get(message.dlqTopic) ?? new Map<number, bigint>();
      const offset = BigInt(message.offset) + 1n;
      if ((byPartition.get(message.partition) ?? -1n) < offset) byPartition.set(message.partition, offset);
      next.set(message.dlqTopic, byPartition);
    }
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const [topic, partitions] of next) {
        await admin.setOffsets({
          groupId: this.groupId,
          topic,
          partitions: [...partitions].map(([partition, offset]) => ({ partition, offset: offset.toString() })),
        });
      }
    } finally {
      await admin.disconnect();
    }
  }

  private async pendingRanges(admin: ReturnType<Kafka['admin']>, topic: string): Promise<PendingRange[]> {
    const [watermarks, [handled]] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId: this.groupId, topics: [topic] }),
    ]);
    return watermarks.map(({ partition, low, high }) => {
      const mark = handled?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      const from = BigInt(mark) < BigInt(low) ? BigInt(low) : BigInt(mark);
      return { partition, from: from.toString(), count: Math.max(0, Number(BigInt(high) - from)) };
    });
  }
}

interface PendingRange {
  partition: number;
  from: string;
  count: number;
}

function toParked(topic: string, partition: number, message: KafkaMessage): ParkedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return {
    dlqTopic: topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    reason: headers['dlq-reason'] ?? '',
    originalTopic: headers['dlq-original-topic'] ?? topic.replace(/\.dlq$/, ''),
    parkedAt: headers['dlq-failed-at'],
    headers,
  };
}
