import type { Kafka } from 'kafkajs';
import { COMPACTED_TOPICS, TOPICS, deadLetterTopic } from '@huoju/contracts';
import { namespaced } from '@huoju/platform';

/**
 * Creates the run's topics before the services start, retrying while the (shared, busy) broker answers
 * "does not host this topic-partition" for a new topic: the services then find them and skip creating.
 */
export async function precreateTopics(kafka: Kafka, namespace: string, partitions: number): Promise<void> {
  const names = namespaced(namespace);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = TOPICS.flatMap((topic) => [
      { topic: names.topic(topic), compacted: COMPACTED_TOPICS.includes(topic) },
      { topic: names.topic(deadLetterTopic(topic)), compacted: false },
    ]);
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((t) => !existing.has(t.topic));
        if (missing.length > 0)
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map(({ topic, compacted }) => ({
              topic,
              numPartitions: partitions,
              configEntries: compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
            })),
          });
        await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
        return;
      } catch (error) {
        if (attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
      }
    }
  } finally {
    await admin.disconnect();
  }
}
