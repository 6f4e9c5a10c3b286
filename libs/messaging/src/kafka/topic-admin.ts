import type { Kafka } from 'kafkajs';
import { COMPACTED_TOPICS, deadLetterTopic, type Topic } from '@huoju/contracts';

export interface TopicLayout {
  /** Partitions per topic: the ceiling on consumer instances per group. Keys (USCC) keep per-enterprise order. */
  readonly partitions: number;
  readonly namespace: (topic: string) => string;
}

/**
 * Creates the topics a service produces to or consumes from, each with its dead-letter topic, if missing.
 * Auto-creation is off on the broker so that partitions and compaction are always what we chose.
 */
export async function ensureTopics(kafka: Kafka, topics: readonly Topic[], layout: TopicLayout): Promise<void> {
  // Right after creation a topic can be briefly unknown to the broker's metadata (seen on a loaded broker:
  // "does not host this topic-partition" while waiting for leaders); that passes, so try again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await createMissingTopics(kafka, topics, layout);
    } catch (error) {
      if (attempt >= 5 || (error as { retriable?: boolean }).retriable !== true) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

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
        replicationFactor: 1,
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
