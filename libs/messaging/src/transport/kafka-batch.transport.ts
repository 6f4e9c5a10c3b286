import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import {
  Partitioners,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import type { Logger } from 'pino';
import {
  EnvelopeError,
  deadLetterTopic,
  isTopic,
  parseEnvelope,
  type EventEnvelope,
  type Topic,
} from '@huoju/contracts';
import { traceContext, withCorrelation, type Metrics } from '@huoju/platform';
import { consumeSpans } from '../tracing/event-trace';
import { ensureTopics } from '../kafka/topic-admin';
import { ConsumerMetrics } from './consumer-metrics';
import { KAFKA_BATCH_TRANSPORT } from './consume-event.decorator';
import { KafkaBatchContext } from './kafka-batch.context';
import { classifyFailure } from './failures';

export interface RetryPolicy {
  /**
   * Tries per message (the first try included) before a failure of unknown kind parks it in the dead-letter
   * topic. Transient failures never count: they are retried without limit; permanent ones park at once.
   */
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Ceiling of the back-off while a partition waits on a transient failure (default 30 s). */
  readonly transientMaxDelayMs?: number;
}

/** A partition held back by a transient failure: reported in health details and logs. */
export interface BlockedPartition {
  readonly topic: Topic;
  readonly partition: number;
  readonly offset: string;
  readonly since: string;
  readonly attempts: number;
  readonly lastError: string;
}

export interface KafkaBatchTransportOptions {
  readonly kafka: Kafka;
  readonly logger: Logger;
  /** Consumer group: the app name (namespaced). */
  readonly groupId: string;
  readonly physicalTopic: (topic: string) => string;
  readonly partitions: number;
  readonly replicationFactor?: number;
  readonly retry?: RetryPolicy;
  /** Read a new group's topics from the start (projections rebuild from the log). */
  readonly fromBeginning?: boolean;
  readonly partitionsConsumedConcurrently?: number;
  readonly sessionTimeoutMs?: number;
  readonly metrics?: Metrics;
  /** Called when the consumer crashed and kafkajs will not restart it (the service exits so it is restarted). */
  readonly onCrash?: (error: Error) => void;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 200, maxDelayMs: 5_000 };

class ShutdownInProgress extends Error {}

interface DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  readonly reason: string;
  readonly error?: unknown;
  readonly attempts: number;
}

/**
 * A Nest transport strategy over kafkajs that closes the gaps of the stock Kafka server:
 * - batch consumption (eachBatch), with optional batch handlers;
 * - nothing is committed unless it was applied or parked: an unparseable message, one whose handler fails
 *   permanently, or one that keeps failing for an unknown reason goes to `<topic>.dlq` with its reason, and the
 *   partition moves on;
 * - a transient failure (see failures.ts) pauses only its partition and retries it with capped back-off
 *   without limit: nothing is committed or parked, and the partition is reported as blocked until it succeeds;
 * - a shutdown mid-batch commits only what finished, so the rest is redelivered, never lost.
 * Handlers must be idempotent (see claimEvent): delivery is at least once.
 */
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  override readonly transportId = KAFKA_BATCH_TRANSPORT;
  private consumer: Consumer | undefined;
  private deadLetters: Producer | undefined;
  private closing = false;
  private readonly retry: RetryPolicy;
  private readonly logicalTopics = new Map<string, Topic>();
  private parked = 0;
  private crashReason: string | undefined;
  private consumingNow = false;
  private starting: Promise<void> | undefined;
  private readonly blocked = new Map<string, BlockedPartition>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private measured: ConsumerMetrics | undefined;

  constructor(private readonly options: KafkaBatchTransportOptions) {
    super();
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /** Messages parked in dead-letter topics since start. */
  get deadLetterCount(): number {
    return this.parked;
  }

  /**
   * Checks the handlers and connects; when Kafka is down, start-up goes on and the consumer keeps connecting
   * in the background, joining once the broker is back (readiness says "not consuming" until then).
   */
  listen(callback: (error?: unknown) => void): Promise<void> {
    const topics = [...this.messageHandlers.keys()].filter(isTopic);
    const unknown = [...this.messageHandlers.keys()].filter((pattern) => !isTopic(pattern));
    if (unknown.length > 0) {
      callback(new Error(`handlers for unknown topics: ${unknown.join(', ')}`));
      return Promise.resolve();
    }
    for (const topic of topics) this.logicalTopics.set(this.options.physicalTopic(topic), topic);
    if (topics.length === 0) {
      callback();
      return Promise.resolve();
    }
    if (this.options.metrics) {
      const deadLetters = topics.map(
        (t) => [deadLetterTopic(t), this.options.physicalTopic(deadLetterTopic(t))] as const,
      );
      this.measured = new ConsumerMetrics(this.options.metrics, this.options.kafka, deadLetters);
    }
    // The first try is awaited, so with Kafka up the service is consuming when start-up ends (tests and
    // the platform rely on it); only when it fails does the consumer go on connecting in the background.
    this.starting = this.startUntilConnected(topics, () => callback());
    return Promise.resolve();
  }

  /** The logical topics this transport consumes. */
  get topics(): Topic[] {
    return [...this.logicalTopics.values()];
  }

  /** Whether this transport has handlers, i.e. whether readiness should wait for it to consume. */
  get subscribes(): boolean {
    return this.logicalTopics.size > 0;
  }

  /** True once the consumer joined its group and runs (false again after a crash). */
  get consuming(): boolean {
    return this.consumingNow;
  }

  /** Why the consumer crashed for good (kafkajs gave up restarting it), or undefined while it runs. */
  get crashed(): string | undefined {
    return this.crashReason;
  }

  /** Partitions currently waiting on a transient failure, oldest first. */
  get blockedPartitions(): BlockedPartition[] {
    return [...this.blocked.values()].sort((a, b) => a.since.localeCompare(b.since));
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    await this.starting;
    this.consumingNow = false;
    await this.consumer?.disconnect();
    await this.deadLetters?.disconnect();
    await this.measured?.close();
  }

  private async startUntilConnected(topics: readonly Topic[], afterFirstTry: () => void): Promise<void> {
    for (let attempt = 1; !this.closing; attempt++) {
      try {
        await this.start(topics);
        if (attempt === 1) afterFirstTry();
        return;
      } catch (error) {
        if (attempt === 1) afterFirstTry();
        this.options.logger.warn({ err: error, attempt }, 'Kafka consumer could not start; retrying');
        await this.consumer?.disconnect().catch(() => undefined);
        await this.deadLetters?.disconnect().catch(() => undefined);
        this.consumer = undefined;
        this.deadLetters = undefined;
        const until = Date.now() + Math.min(500 * 2 ** attempt, 10_000);
        while (!this.closing && Date.now() < until) await sleep(100);
      }
    }
  }

  private async restartAfterCrash(topics: readonly Topic[]): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.deadLetters?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    this.deadLetters = undefined;
    await sleep(1000); // a crash that comes straight back must not spin
    await this.startUntilConnected(topics, () => undefined);
  }

  on(): never {
    throw new Error('KafkaBatchTransport has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async start(topics: readonly Topic[]): Promise<void> {
    await ensureTopics(this.options.kafka, topics, {
      partitions: this.options.partitions,
      replicationFactor: this.options.replicationFactor,
      namespace: this.options.physicalTopic,
    });
    this.deadLetters = this.options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.deadLetters.connect();
    this.consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      // A crashed member is noticed (and its partitions reassigned) after this long.
      sessionTimeout: this.options.sessionTimeoutMs ?? 15_000,
      heartbeatInterval: 3_000,
      // A resumed partition is fetched again only when the fetch in flight returns: keep that wait short.
      maxWaitTimeInMs: 1_000,
      allowAutoTopicCreation: false,
    });
    // A rebalance hands partitions to other members: what this one held back is theirs to report now.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => this.blocked.clear());
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) {
        this.options.logger.warn({ err: payload.error }, 'Kafka consumer crashed; kafkajs restarts it');
        return;
      }
      this.consumingNow = false;
      if (classifyFailure(payload.error) === 'transient' && !this.closing) {
        // kafkajs gives up on some errors of a broker outage (the group coordinator not found): a fresh
        // consumer joins once the broker is back, where exiting would take the service's HTTP API down too.
        this.options.logger.warn(
          { err: payload.error },
          'Kafka consumer stopped on a broker outage; starting it again',
        );
        this.starting = this.restartAfterCrash(topics);
        return;
      }
      this.crashReason = payload.error.message;
      this.options.logger.error({ err: payload.error }, 'Kafka consumer crashed for good');
      this.options.onCrash?.(payload.error);
    });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.logicalTopics.keys()],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await this.consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      // Every partition of every topic at once: a message waiting on another topic (a filing whose roster
      // entry is still on its way) must not hold up that topic. Order within a partition is kept.
      partitionsConsumedConcurrently:
        this.options.partitionsConsumedConcurrently ?? this.options.partitions * topics.length,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.consumingNow = true;
    this.options.logger.info({ groupId: this.options.groupId, topics: [...this.logicalTopics.keys()] }, 'consuming');
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const topic = this.logicalTopics.get(batch.topic)!;
    const handler = this.getHandlerByPattern(topic)!;
    try {
      if (handler.extras?.batch) {
        await this.handleAsBatch(topic, batch.partition, batch.messages, handler, payload);
      } else {
        for (const message of batch.messages) {
          if (!isRunning() || isStale() || this.closing) break;
          const outcome = await this.handleOne(topic, batch.partition, message, handler, payload);
          if (outcome === 'paused') break;
          resolveOffset(message.offset);
          await heartbeat();
        }
      }
    } catch (error) {
      if (!(error instanceof ShutdownInProgress)) throw error;
    } finally {
      this.measured?.batchHandled(topic, batch.partition, batch.offsetLag());
      await commitOffsetsIfNecessary().catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'offset commit failed; will be redelivered'),
      );
    }
  }

  private async handleAsBatch(
    topic: Topic,
    partition: number,
    messages: KafkaMessage[],
    handler: MessageHandler,
    payload: EachBatchPayload,
  ): Promise<void> {
    const envelopes = messages.map((message) => tryParse(topic, message));
    if (envelopes.length > 0 && envelopes.every((envelope) => envelope !== undefined)) {
      const context = new KafkaBatchContext([topic, partition, messages.map((m) => m.offset)]);
      const traced = consumeSpans(topic, partition, messages, envelopes as EventEnvelope[]);
      try {
        await invoke(handler, envelopes, context);
        traced.end();
        for (const message of messages) payload.resolveOffset(message.offset);
        this.measured?.applied(topic, messages.length);
        return;
      } catch (error) {
        traced.end(error);
        if (this.closing) throw new ShutdownInProgress();
        if (classifyFailure(error) === 'transient') {
          this.pauseForRetry(topic, partition, messages[0]!, error, payload);
          return;
        }
        this.options.logger.warn(
          { err: error, topic, partition, size: messages.length },
          'batch failed; retrying its messages one by one',
        );
      }
    }
    // One by one: isolates unparseable and failing messages; each good one is retried as a batch of one.
    for (const message of messages) {
      if (!payload.isRunning() || payload.isStale() || this.closing) break;
      const outcome = await this.handleOne(topic, partition, message, handler, payload, true);
      if (outcome === 'paused') break;
      payload.resolveOffset(message.offset);
      await payload.heartbeat();
    }
  }

  /**
   * Applies one message, retrying with back-off; parks it in the DLQ when it cannot be parsed, fails
   * permanently or keeps failing for an unknown reason. A transient failure pauses the partition instead
   * ('paused': the caller stops there and resolves nothing more, so the message is fetched again on resume).
   */
  private async handleOne(
    topic: Topic,
    partition: number,
    message: KafkaMessage,
    handler: MessageHandler,
    payload: EachBatchPayload,
    asArray = false,
  ): Promise<'done' | 'paused'> {
    let envelope: EventEnvelope;
    try {
      envelope = parseEnvelope(topic, message.value);
    } catch (error) {
      const detail =
        error instanceof EnvelopeError && error.issues.length > 0
          ? `${error.message}: ${JSON.stringify(error.issues)}`
          : (error as Error).message;
      await this.park({ topic, partition, message, reason: `unparseable: ${detail}`, error, attempts: 0 });
      return 'done';
    }
    const context = new KafkaBatchContext([topic, partition, [message.offset]]);
    const traced = consumeSpans(topic, partition, [message], [envelope]);
    for (let attempt = 1; ; attempt++) {
      try {
        await traceContext.with(traced.context(0), () =>
          withCorrelation(envelope.correlationId, () => invoke(handler, asArray ? [envelope] : envelope, context)),
        );
        traced.end();
        this.measured?.applied(topic);
        this.unblock(topic, partition);
        return 'done';
      } catch (error) {
        if (this.closing || attempt >= this.retry.attempts) traced.end(error);
        if (this.closing) throw new ShutdownInProgress();
        const kind = classifyFailure(error);
        if (kind === 'transient') {
          traced.end(error);
          this.pauseForRetry(topic, partition, message, error, payload);
          return 'paused';
        }
        if (kind === 'permanent' || attempt >= this.retry.attempts) {
          await this.park({
            topic,
            partition,
            message,
            reason:
              kind === 'permanent'
                ? `permanent failure: ${(error as Error).message}`
                : `handler failed after ${attempt} attempts: ${(error as Error).message}`,
            error,
            attempts: attempt,
          });
          this.unblock(topic, partition);
          return 'done';
        }
        const delay = Math.min(this.retry.initialDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs);
        this.options.logger.warn(
          { err: error, topic, partition, offset: message.offset, attempt, delay },
          'handler failed; retrying',
        );
        await sleep(delay);
        await payload.heartbeat();
      }
    }
  }

  /** Holds the partition back (others go on) and resumes it after a capped, growing delay. */
  private pauseForRetry(
    topic: Topic,
    partition: number,
    message: KafkaMessage,
    error: unknown,
    payload: EachBatchPayload,
  ): void {
    const key = `${topic}:${partition}`;
    const previous = this.blocked.get(key);
    const attempts = (previous?.offset === message.offset ? previous.attempts : 0) + 1;
    const blocked: BlockedPartition = {
      topic,
      partition,
      offset: message.offset,
      since: previous?.since ?? new Date().toISOString(),
      attempts,
      lastError: (error as Error).message,
    };
    this.blocked.set(key, blocked);
    const delay = Math.min(
      this.retry.initialDelayMs * 2 ** Math.min(attempts - 1, 16),
      this.retry.transientMaxDelayMs ?? 30_000,
    );
    this.options.logger.warn(
      { err: error, topic, partition, offset: message.offset, attempts, delay, since: blocked.since },
      'transient failure; partition paused and retried later (nothing parked)',
    );
    const resume = payload.pause();
    // Fetch again from the failed message on resume (kafkajs would otherwise go on after the fetched batch).
    this.consumer!.seek({ topic: this.options.physicalTopic(topic), partition, offset: message.offset });
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      if (!this.closing) resume();
    }, delay);
    this.resumeTimers.add(timer);
  }

  private unblock(topic: Topic, partition: number): void {
    const key = `${topic}:${partition}`;
    const blocked = this.blocked.get(key);
    if (!blocked) return;
    this.blocked.delete(key);
    this.options.logger.info(
      { topic, partition, offset: blocked.offset, attempts: blocked.attempts, since: blocked.since },
      'partition unblocked after transient failures',
    );
  }

  private async park(letter: DeadLetter): Promise<void> {
    const dlq = this.options.physicalTopic(deadLetterTopic(letter.topic));
    await this.deadLetters!.send({
      topic: dlq,
      acks: -1,
      messages: [
        {
          key: letter.message.key,
          value: letter.message.value,
          headers: {
            ...letter.message.headers,
            'dlq-reason': letter.reason.slice(0, 2000),
            'dlq-original-topic': this.options.physicalTopic(letter.topic),
            'dlq-original-partition': String(letter.partition),
            'dlq-original-offset': letter.message.offset,
            'dlq-consumer-group': this.options.groupId,
            'dlq-attempts': String(letter.attempts),
            'dlq-failed-at': new Date().toISOString(),
          },
        },
      ],
    });
    this.parked++;
    this.measured?.parked(letter.topic);
    this.options.logger.error(
      {
        err: letter.error,
        topic: letter.topic,
        partition: letter.partition,
        offset: letter.message.offset,
        dlq,
        reason: letter.reason,
      },
      'message parked in dead-letter topic',
    );
  }
}

async function invoke(handler: MessageHandler, data: unknown, context: KafkaBatchContext): Promise<void> {
  const result: unknown = await handler(data, context);
  if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
}

function tryParse(topic: Topic, message: KafkaMessage): EventEnvelope | undefined {
  try {
    return parseEnvelope(topic, message.value);
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
