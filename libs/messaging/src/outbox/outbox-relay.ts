import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { Client } from 'pg';
import type { Logger } from 'pino';
import type { EventEnvelope } from '@huoju/contracts';
import type { Metrics, TraceCarrier } from '@huoju/platform';
import { OUTBOX_TRACE_KEY, publishSpan } from '../tracing/event-trace';

export interface PublishedEvent {
  readonly topic: string;
  readonly envelope: EventEnvelope;
}

/** Runs in the relay's transaction right after a batch was acknowledged by the broker. */
export type OutboxPublishedHook = (em: EntityManager, events: readonly PublishedEvent[]) => Promise<void>;

export interface OutboxRelayOptions {
  readonly databaseUrl: string;
  readonly schema: string;
  /** Maps a logical topic to the physical one (namespace prefix). */
  readonly physicalTopic: (topic: string) => string;
  readonly batchSize?: number;
  /** Fallback poll when no notification arrives (e.g. a missed NOTIFY during a reconnect). */
  readonly pollIntervalMs?: number;
  readonly onPublished?: OutboxPublishedHook;
  readonly metrics?: Metrics;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  envelope: EventEnvelope & { [OUTBOX_TRACE_KEY]?: TraceCarrier };
}

/**
 * Publishes outbox rows to Kafka in id order, at least once: rows are marked published only after the
 * broker acknowledged them (acks=all, idempotent producer). One relay per schema publishes at a time
 * (an advisory lock), so events for one key keep their order even with several instances running.
 */
export class OutboxRelay {
  private producer: Producer | undefined;
  private listener: Client | undefined;
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private published = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly kafka: Kafka,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.producer.connect();
    await this.listen();
    this.options.metrics?.onScrape(() => this.measureOldestPending());
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the batch in flight: its rows are either published and marked, or left for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    await this.producer?.disconnect();
  }

  /** Number of events published since start (for tests and the benchmark). */
  get publishedCount(): number {
    return this.published;
  }

  /** Publishes everything pending now; resolves when the outbox is empty (used by tests and shutdown). */
  async drain(): Promise<void> {
    while ((await this.publishBatch()) > 0) {
      // keep going until a round finds nothing
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const count = await this.publishBatch();
        failures = 0;
        if (count > 0) continue;
      } catch (error) {
        failures++;
        this.logger.error({ err: error, failures }, 'outbox relay failed; retrying');
      }
      const delay = failures > 0 ? Math.min(200 * 2 ** failures, 10_000) : (this.options.pollIntervalMs ?? 1000);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async publishBatch(): Promise<number> {
    const em = this.orm.em.fork() as EntityManager;
    return em.transactional(async (tx) => {
      const [{ locked }] = await tx.execute<{ locked: boolean }[]>(
        'SELECT pg_try_advisory_xact_lock(hashtext(?)) AS locked',
        [`${this.options.schema}.outbox`],
      );
      if (!locked) return 0;
      const rows = await tx.execute<OutboxRow[]>(
        'SELECT id, topic, message_key, envelope FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ?',
        [this.options.batchSize ?? 500],
      );
      if (rows.length === 0) return 0;
      const traced = rows.map((row) => publishSpan(row.topic, row.envelope[OUTBOX_TRACE_KEY]));
      for (const row of rows) delete row.envelope[OUTBOX_TRACE_KEY];
      await this.producer!.sendBatch({
        acks: -1,
        topicMessages: this.group(
          rows,
          traced.map((t) => t.headers),
        ),
      });
      for (const { span } of traced) span.end();
      // By id, never by range: a row with a lower id may commit later and must not be marked unseen.
      await tx.execute(
        `UPDATE outbox SET published_at = now() WHERE id IN (${rows.map(() => '?').join(', ')})`,
        rows.map((row) => row.id),
      );
      await this.options.onPublished?.(
        tx,
        rows.map((row) => ({ topic: row.topic, envelope: row.envelope })),
      );
      this.published += rows.length;
      for (const row of rows) this.options.metrics?.eventsPublished.inc({ topic: row.topic });
      return rows.length;
    });
  }

  /** How long the oldest unpublished row has waited: a relay that cannot publish shows as a growing age. */
  private async measureOldestPending(): Promise<void> {
    const [row] = await (this.orm.em.fork() as EntityManager).execute<{ age: string | null }[]>(
      'SELECT extract(epoch FROM now() - min(created_at)) AS age FROM outbox WHERE published_at IS NULL',
    );
    this.options.metrics!.outboxOldestAge.set(Number(row?.age ?? 0));
  }

  /** Groups rows by topic, keeping id order inside each topic (and so inside each key). */
  private group(
    rows: readonly OutboxRow[],
    traceHeaders: readonly TraceCarrier[],
  ): { topic: string; messages: Message[] }[] {
    const byTopic = new Map<string, Message[]>();
    for (const [index, row] of rows.entries()) {
      const topic = this.options.physicalTopic(row.topic);
      const messages = byTopic.get(topic) ?? [];
      messages.push({
        key: row.message_key,
        value: JSON.stringify(row.envelope),
        headers: {
          ...traceHeaders[index],
          'event-id': row.envelope.id,
          'correlation-id': row.envelope.correlationId,
        },
      });
      byTopic.set(topic, messages);
    }
    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  }

  private async listen(): Promise<void> {
    this.listener = new Client({ connectionString: this.options.databaseUrl });
    this.listener.on('notification', () => this.wake?.());
    this.listener.on('error', (error) =>
      this.logger.warn({ err: error }, 'outbox listener lost its connection; polling'),
    );
    await this.listener.connect();
    await this.listener.query(`LISTEN "outbox_${this.options.schema.replace(/"/g, '""')}"`);
  }
}
