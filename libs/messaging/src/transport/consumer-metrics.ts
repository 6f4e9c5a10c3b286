import type { Admin, Kafka } from 'kafkajs';
import type { Metrics } from '@huoju/platform';

/**
 * The consumer's hooks into the service's metrics: lag per partition after each batch, messages applied
 * and parked, and — read from the broker at scrape time — how many messages wait in each dead-letter topic.
 */
export class ConsumerMetrics {
  private admin: Admin | undefined;

  constructor(
    private readonly metrics: Metrics,
    private readonly kafka: Kafka,
    /** Dead-letter topics as [logical name, physical name]. */
    private readonly deadLetterTopics: readonly (readonly [string, string])[],
  ) {
    metrics.onScrape(() => this.readDeadLetterDepth());
  }

  batchHandled(topic: string, partition: number, offsetLag: string): void {
    this.metrics.consumerLag.set({ topic, partition: String(partition) }, Number(offsetLag));
  }

  applied(topic: string, count = 1): void {
    this.metrics.eventsConsumed.inc({ topic, outcome: 'applied' }, count);
  }

  parked(topic: string): void {
    this.metrics.eventsConsumed.inc({ topic, outcome: 'parked' });
  }

  async close(): Promise<void> {
    await this.admin?.disconnect();
  }

  private async readDeadLetterDepth(): Promise<void> {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    for (const [logical, physical] of this.deadLetterTopics) {
      const offsets = await this.admin.fetchTopicOffsets(physical);
      const depth = offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
      this.metrics.dlqDepth.set({ topic: logical }, depth);
    }
  }
}
