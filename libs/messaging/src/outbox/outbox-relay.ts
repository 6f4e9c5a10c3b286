import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { KafkaJSProtocolError, Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { Client } from 'pg';
import type { Logger } from 'pino';
import type { EventEnvelope } from '@huoju/contracts';
import type { Metrics, TraceCarrier } from '@huoju/platform';
import { OUTBOX_TRACE_KEY, publishSpan } from '../tracing/event-trace';
import { OutboxRepository, type OutboxBacklog, type OutboxRow } from './outbox.repository';

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
  /** A broker call (connect, send) that has not answered by then is abandoned and the producer replaced. */
  readonly sendTimeoutMs?: number;
  /** Not publishing for this long while rows wait makes the relay stalled: logged, and the service unready. */
  readonly stallAfterMs?: number;
  readonly metrics?: Metrics;
}

/** What readiness and logs report about the relay. */
export interface OutboxRelayStatus {
  readonly running: boolean;
  readonly listening: boolean;
  readonly published: number;
  readonly lastPublishedAt?: string;
  readonly failingSince?: string;
  readonly lastError?: string;
}

const DEFAULT_SEND_TIMEOUT_MS = 30_000;
const DEFAULT_STALL_AFTER_MS = 60_000;
const LISTEN_RETRY_MS = 2_000;

class BrokerTimeout extends Error {}

/**
 * Publishes outbox rows to Kafka in id order, at least once: rows are marked published only after the
 * broker acknowledged them (acks=all, idempotent producer). One relay per schema publishes at a time
 * (an advisory lock per batch), so events for one key keep their order even with several instances
 * running, and another instance takes over at its next batch when the active one dies or hangs.
 *
 * Nothing here may wait forever: a broker call that does not answer is abandoned and the producer
 * replaced (kafkajs can leave a send pending across a broker restart), a failed batch is retried with
 * back-off without limit, the LISTEN connection reconnects, and the relay starts even while Kafka or
 * PostgreSQL is down. A relay that stops publishing while rows wait is logged and reported as stalled.
 */
export class OutboxRelay {
  private producer: Producer | undefined;
  private listener: Client | undefined;
  private listenRetry: NodeJS.Timeout | undefined;
  private listening = false;
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private published = 0;
  private lastPublishedAt: number | undefined;
  private failingSince: number | undefined;
  private lastError: string | undefined;
  private lastStallLog = 0;
  private readonly repository = new OutboxRepository();
  private readonly sendTimeoutMs: number;
  private readonly stallAfterMs: number;

  constructor(
    private readonly orm: MikroORM,
    private readonly kafka: Kafka,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions,
  ) {
    this.sendTimeoutMs = options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
    this.stallAfterMs = options.stallAfterMs ?? DEFAULT_STALL_AFTER_MS;
  }

  /** Starts publishing in the background; the broker and the database may still be down. */
  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    this.running = true;
    this.options.metrics?.onScrape(() => this.measureOldestPending());
    this.listen();
    this.loop = this.run();
    return Promise.resolve();
  }

  /** Stops after the batch in flight: its rows are either published and marked, or left for the next start. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    clearTimeout(this.listenRetry);
    await this.listener?.end().catch(() => undefined);
    this.discardProducer();
  }

  /** Number of events published since start (for tests and the benchmark). */
  get publishedCount(): number {
    return this.published;
  }

  status(): OutboxRelayStatus {
    return {
      running: this.running,
      listening: this.listening,
      published: this.published,
      lastPublishedAt: iso(this.lastPublishedAt),
      failingSince: iso(this.failingSince),
      lastError: this.lastError,
    };
  }

  backlog(): Promise<OutboxBacklog> {
    return this.repository.backlog(this.orm.em.fork() as EntityManager);
  }

  /**
   * Why the relay counts as stalled, or undefined: stopped, failing for too long, or rows waiting too long
   * while this instance published nothing (which also catches another instance holding the lock and hanging).
   */
  stalled(backlog: OutboxBacklog, now = Date.now()): string | undefined {
    if (!this.running) return 'the outbox relay is not running';
    if (this.failingSince !== undefined && now - this.failingSince > this.stallAfterMs) {
      return `the outbox relay has failed for ${seconds(now - this.failingSince)} s: ${this.lastError}`;
    }
    const idleMs = now - (this.lastPublishedAt ?? 0);
    if (backlog.oldestAgeMs > this.stallAfterMs && idleMs > this.stallAfterMs) {
      return `${backlog.pending} outbox rows wait, the oldest for ${seconds(backlog.oldestAgeMs)} s, and nothing was published for ${seconds(Math.min(idleMs, backlog.oldestAgeMs))} s`;
    }
    return undefined;
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
        if (failures > 0) this.logger.info({ failures }, 'outbox relay recovered');
        failures = 0;
        this.failingSince = undefined;
        this.lastError = undefined;
        if (count > 0) continue;
      } catch (error) {
        failures++;
        this.failingSince ??= Date.now();
        this.lastError = (error as Error).message;
        // A producer that failed or timed out may keep a broken connection or a send that never settles.
        this.discardProducer();
        this.reportFailure(error, failures);
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

  private reportFailure(error: unknown, failures: number): void {
    const failingMs = Date.now() - (this.failingSince ?? Date.now());
    if (failingMs > this.stallAfterMs && Date.now() - this.lastStallLog > this.stallAfterMs) {
      this.lastStallLog = Date.now();
      this.logger.error(
        { err: error, failures, failingForMs: failingMs },
        'outbox relay stalled: nothing published; still retrying',
      );
    } else {
      this.logger.warn({ err: error, failures }, 'outbox relay failed; retrying');
    }
  }

  private async publishBatch(): Promise<number> {
    const producer = await this.connectedProducer();
    const em = this.orm.em.fork() as EntityManager;
    const count = await em.transactional(async (tx) => {
      if (!(await this.repository.tryLock(tx, this.options.schema))) return 0;
      const rows = await this.repository.pendingBatch(tx, this.options.batchSize ?? 500);
      if (rows.length === 0) return 0;
      const traced = rows.map((row) => publishSpan(row.topic, traceOf(row)));
      for (const row of rows) delete (row.envelope as TracedEnvelope)[OUTBOX_TRACE_KEY];
      const send = (indexes: readonly number[]) =>
        withTimeout(
          producer.sendBatch({
            acks: -1,
            topicMessages: this.group(
              indexes.map((index) => rows[index]!),
              indexes.map((index) => traced[index]!.headers),
            ),
          }),
          this.sendTimeoutMs,
          `the broker did not acknowledge ${indexes.length} outbox rows within ${this.sendTimeoutMs} ms`,
        );
      const all = rows.map((_, index) => index);
      let published = all;
      try {
        await send(all);
      } catch (error) {
        if (!refusedForGood(error)) throw error;
        // Some row of the batch is refused for good: one by one, each such row is parked and the rest go out.
        published = [];
        for (const index of all) {
          try {
            await send([index]);
            published.push(index);
          } catch (single) {
            if (!refusedForGood(single)) throw single;
            const row = rows[index]!;
            await this.repository.park(tx, row.id, (single as Error).message);
            this.logger.error(
              { err: single, outboxId: row.id, topic: row.topic, eventId: row.envelope.id },
              'outbox row refused by the broker for good; parked (npm run dlq -- outbox-list), the relay goes on',
            );
          }
        }
      }
      for (const { span } of traced) span.end();
      const sent = published.map((index) => rows[index]!);
      await this.repository.markPublished(
        tx,
        sent.map((row) => row.id),
      );
      await this.options.onPublished?.(
        tx,
        sent.map((row) => ({ topic: row.topic, envelope: row.envelope })),
      );
      for (const row of sent) this.options.metrics?.eventsPublished.inc({ topic: row.topic });
      return rows.length;
    });
    if (count > 0) {
      this.published += count;
      this.lastPublishedAt = Date.now();
    }
    return count;
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await withTimeout(producer.connect(), this.sendTimeoutMs, `no broker connection within ${this.sendTimeoutMs} ms`);
    } catch (error) {
      void producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.producer = producer;
    return producer;
  }

  private discardProducer(): void {
    const producer = this.producer;
    this.producer = undefined;
    if (producer) void withTimeout(producer.disconnect(), 5_000, 'disconnect').catch(() => undefined);
  }

  /** How long the oldest unpublished row has waited: a relay that cannot publish shows as a growing age. */
  private async measureOldestPending(): Promise<void> {
    const { oldestAgeMs, parked } = await this.backlog();
    this.options.metrics?.outboxOldestAge.set(oldestAgeMs / 1000);
    this.options.metrics?.outboxParked.set(parked);
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

  /** LISTEN for commits; a lost connection is re-opened (the poll covers the gap, and a catch-up runs after). */
  private listen(): void {
    if (!this.running) return;
    const client = new Client({ connectionString: this.options.databaseUrl, keepAlive: true });
    let lost = false;
    const reconnect = (error: unknown) => {
      if (lost) return;
      lost = true;
      this.listening = false;
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
      if (!this.running) return;
      this.logger.warn({ err: error }, 'outbox listener lost its connection; polling until it is back');
      this.listenRetry = setTimeout(() => this.listen(), LISTEN_RETRY_MS);
    };
    client.on('notification', () => this.wake?.());
    client.on('error', reconnect);
    client.on('end', () => reconnect(new Error('the listener connection ended')));
    this.listener = client;
    client
      .connect()
      .then(() => this.repository.listen(client, this.options.schema))
      .then(() => {
        this.listening = true;
        // Catch up on whatever committed while nobody listened.
        this.wake?.();
      }, reconnect);
  }
}

type TracedEnvelope = OutboxRow['envelope'] & { [OUTBOX_TRACE_KEY]?: TraceCarrier };

/** The trace context the producing transaction stored beside the envelope (see Outbox.add). */
function traceOf(row: OutboxRow): TraceCarrier | undefined {
  return (row.envelope as TracedEnvelope)[OUTBOX_TRACE_KEY];
}

/**
 * Broker answers that refuse this record itself, whatever is retried: a record over max.message.bytes, a
 * batch over the limit, an invalid record. Anything else (a lost broker, no leader, no authorisation, a
 * missing topic) is about the connection or the configuration and must never park a row.
 */
const RECORD_REFUSALS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

function refusedForGood(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    if (cause instanceof KafkaJSProtocolError && RECORD_REFUSALS.has(cause.type)) return true;
    cause =
      (cause as { cause?: unknown; originalError?: unknown }).cause ??
      (cause as { originalError?: unknown }).originalError;
  }
  return false;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new BrokerTimeout(message)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}
