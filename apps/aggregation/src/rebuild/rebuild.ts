import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { createKafka } from '@huoju/messaging';
import { namespaced } from '@huoju/platform';
import type { AggregationConfig } from '../aggregation.config';
import { startAggregation } from '../bootstrap';
import { bullConnection, kafkaSecurity } from '@huoju/platform';
import { DEADLINE_QUEUE, WEBHOOK_QUEUE } from '../compliance/compliance.jobs';
import { ROLLUP_QUEUE, RollupJob } from '../rollups/rollup.jobs';
import { COMPARED, RebuildQuery } from './rebuild.query';

export interface RebuildReport {
  readonly liveSchema: string;
  readonly rebuiltSchema: string;
  readonly consumerGroup: string;
  readonly seconds: number;
  /** Rows in one schema's table and not in the other's, per table (0 everywhere = identical). */
  readonly differences: Record<string, { onlyLive: number; onlyRebuilt: number; rows: number }>;
  readonly identical: boolean;
}

/**
 * Replays the Kafka log (the registry's compacted topic and every verdict) into an empty schema with a
 * consumer group of its own, rolls everything up, and compares the result with the live schema, table by
 * table. The live service keeps running; nothing it owns is touched.
 */
export async function rebuildAggregates(
  config: AggregationConfig,
  logger: Logger,
  options: { keep?: boolean; timeoutMs?: number } = {},
): Promise<RebuildReport> {
  const started = Date.now();
  const names = namespaced(config.HUOJU_NAMESPACE);
  const liveSchema = names.schema(config.AGGREGATION_SCHEMA);
  const rebuildBase = `${config.AGGREGATION_SCHEMA}_rebuild`;
  const rebuiltSchema = names.schema(rebuildBase);
  const consumerGroup = `${config.CONSUMER_GROUP}-rebuild-${Date.now()}`;
  const schemas = new RebuildQuery(config.DATABASE_URL);
  await schemas.dropSchema(rebuiltSchema);

  const app = await startAggregation(
    {
      ...config,
      PORT: 0,
      AGGREGATION_SCHEMA: rebuildBase,
      CONSUMER_GROUP: consumerGroup,
      ROLLUP_DEBOUNCE_MS: 200,
      ROLLUP_QUIET_MS: 0,
      // A replay must not remind anyone again: the live service already sent every reminder once.
      COMPLIANCE_REMINDERS: 'off',
    },
    logger,
  );
  try {
    await caughtUp(
      config,
      names.group(consumerGroup),
      [names.topic('registry.enterprise-changed.v1'), names.topic('filing.validated.v1')],
      logger,
      options.timeoutMs ?? 600_000,
    );
    await Promise.all([
      idle(config, `${names.queuePrefix}:${rebuildBase}`),
      idle(config, `${names.queuePrefix}:${config.AGGREGATION_SCHEMA}`),
    ]);
  } finally {
    await app.close();
    // The rebuild's queues (and their schedulers) served this run only.
    for (const name of [ROLLUP_QUEUE, DEADLINE_QUEUE, WEBHOOK_QUEUE]) {
      const queue = new Queue(name, {
        connection: bullConnection(config.REDIS_URL),
        prefix: `${names.queuePrefix}:${rebuildBase}`,
      });
      await queue.obliterate({ force: true }).finally(() => queue.close());
    }
  }
  const differences: RebuildReport['differences'] = {};
  for (const table of Object.keys(COMPARED)) {
    differences[table] = await schemas.difference(liveSchema, rebuiltSchema, table);
  }
  if (!options.keep) await schemas.dropSchema(rebuiltSchema);
  const identical = Object.values(differences).every((d) => d.onlyLive === 0 && d.onlyRebuilt === 0);
  return { liveSchema, rebuiltSchema, consumerGroup, seconds: (Date.now() - started) / 1000, differences, identical };
}

/** Waits until the group has consumed every topic to its end. */
async function caughtUp(
  config: AggregationConfig,
  groupId: string,
  topics: string[],
  logger: Logger,
  timeoutMs: number,
): Promise<void> {
  const admin = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: 'aggregation-rebuild',
    logger,
    security: kafkaSecurity(config),
  }).admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let lag = 0;
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        for (const end of ends) {
          const done = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          lag += Math.max(0, Number(end.high) - Math.max(0, Number(done)));
        }
      }
      if (lag === 0) return;
      if (Date.now() > deadline)
        throw new Error(`the rebuild did not catch up within ${timeoutMs / 1000} s (lag ${lag})`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Waits until a queue has no roll-up waiting, delayed or running, twice in a row (the daily closing job does not count). */
async function idle(config: AggregationConfig, prefix: string): Promise<void> {
  const queue = new Queue(ROLLUP_QUEUE, { connection: bullConnection(config.REDIS_URL), prefix });
  try {
    let quiet = 0;
    while (quiet < 2) {
      const pending = await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
      quiet = pending.some((job) => job?.name === RollupJob.RollupMonth) ? 0 : quiet + 1;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await queue.close();
  }
}
