import type { Kafka } from 'kafkajs';
import { COMPACTED_TOPICS, deadLetterTopic, type Topic } from '@huoju/contracts';

export interface TopicLayout {
  /** Partitions per topic: the ceiling on consumer instances per group. Keys (USCC) keep per-enterprise order. */
  readonly partitions: number;
  /** Copies of each partition (KAFKA_REPLICATION_FACTOR): 1 on a single broker, 3 on a production cluster. */
  readonly replicationFactor?: number;
  readonly namespace: (topic: string) => string;
}

/**
 * Creates the topics a service produces to or consumes from, each with its dead-letter topic, if missing.
 * Auto-creation is off on the broker so that partitions and compaction are always what we chose.
 */
export async function ensureTopics(kafka: Kafka, topics: readonly Topic[], layout: TopicLayout): Promise<void> {
  // A loaded broker can answer a fresh topic's metadata with a retriable error for a while
  // (UNKNOWN_TOPIC_OR_PARTITION while its partitions are placed): wait it out, as for any transient fault.
  for (let attempt = 1; ; attempt++) {
    try {
      return await createMissingTopics(kafka, topics, layout);
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable || attempt >= TOPIC_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 5_000)));
    }
  }
}

const TOPIC_ATTEMPTS = 12;

async function createMissingTopics(kafka: Kafka, topics: readonly Topic[], layout: TopicLayout): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = topics.flatMap((topic) => [
      { topic: layout.namespace(topic), compacted: COMPACTED_TOPICS.includes(topic) },
      { topic: layout.namespace(deadLetterTopic(topic)), compacted: false },
    ]);
    const missing = wanted.filter(({ topic }) => !existing.has(topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map(({ topic, compacted }) => ({
        topic,
        numPartitions: layout.partitions,
        replicationFactor: layout.replicationFactor ?? 1,
        configEntries: compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
      })),
    });
  } catch (error) {
    // Another service created the same topic a moment earlier.
    if (!String((error as Error).message).includes('already exists')) throw error;
  } finally {
    await admin.disconnect();
  }
}
