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

export interface RetryPolicy {
  /** Tries per message (the first try included) before it is parked in the dead-letter topic. */
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export interface KafkaBatchTransportOptions {
  readonly kafka: Kafka;
  readonly logger: Logger;
  /** Consumer group: the app name (namespaced). */
  readonly groupId: string;
  readonly physicalTopic: (topic: string) => string;
  readonly partitions: number;
  readonly retry?: RetryPolicy;
  /** Read a new group's topics from the start (projections rebuild from the log). */
  readonly fromBeginning?: boolean;
  readonly partitionsConsumedConcurrently?: number;
  readonly sessionTimeoutMs?: number;
  readonly metrics?: Metrics;
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
 * - nothing is committed unless it was applied or parked: an unparseable message, or one whose handler keeps
 *   failing after retries with back-off, goes to `<topic>.dlq` with its reason, and the partition moves on;
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
  private measured: ConsumerMetrics | undefined;

  constructor(private readonly options: KafkaBatchTransportOptions) {
    super();
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /** Messages parked in dead-letter topics since start. */
  get deadLetterCount(): number {
    return this.parked;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.consumer?.disconnect();
    await this.deadLetters?.disconnect();
    await this.measured?.close();
  }

  on(): never {
    throw new Error('KafkaBatchTransport has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async start(): Promise<void> {
    const topics = [...this.messageHandlers.keys()].filter(isTopic);
    const unknown = [...this.messageHandlers.keys()].filter((pattern) => !isTopic(pattern));
    if (unknown.length > 0) throw new Error(`handlers for unknown topics: ${unknown.join(', ')}`);
    if (topics.length === 0) return;
    for (const topic of topics) this.logicalTopics.set(this.options.physicalTopic(topic), topic);
    if (this.options.metrics) {
      const deadLetters = topics.map(
        (t) => [deadLetterTopic(t), this.options.physicalTopic(deadLetterTopic(t))] as const,
      );
      this.measured = new ConsumerMetrics(this.options.metrics, this.options.kafka, deadLetters);
    }

    await ensureTopics(this.options.kafka, topics, {
      partitions: this.options.partitions,
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
      allowAutoTopicCreation: false,
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
          await this.handleOne(topic, batch.partition, message, handler, heartbeat);
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
        this.options.logger.warn(
          { err: error, topic, partition, size: messages.length },
          'batch failed; retrying its messages one by one',
        );
      }
    }
    // One by one: isolates unparseable and failing messages; each good one is retried as a batch of one.
    for (const message of messages) {
      if (!payload.isRunning() || payload.isStale() || this.closing) break;
      await this.handleOne(topic, partition, message, handler, payload.heartbeat, true);
      payload.resolveOffset(message.offset);
      await payload.heartbeat();
    }
  }

  /** Applies one message, retrying with back-off; parks it in the DLQ when it cannot be parsed or keeps failing. */
  private async handleOne(
    topic: Topic,
    partition: number,
    message: KafkaMessage,
    handler: MessageHandler,
    heartbeat: () => Promise<void>,
    asArray = false,
  ): Promise<void> {
    let envelope: EventEnvelope;
    try {
      envelope = parseEnvelope(topic, message.value);
    } catch (error) {
      const detail =
        error instanceof EnvelopeError && error.issues.length > 0
          ? `${error.message}: ${JSON.stringify(error.issues)}`
          : (error as Error).message;
      await this.park({ topic, partition, message, reason: `unparseable: ${detail}`, error, attempts: 0 });
      return;
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
        return;
      } catch (error) {
        if (this.closing || attempt >= this.retry.attempts) traced.end(error);
        if (this.closing) throw new ShutdownInProgress();
        if (attempt >= this.retry.attempts) {
          await this.park({
            topic,
            partition,
            message,
            reason: `handler failed after ${attempt} attempts: ${(error as Error).message}`,
            error,
            attempts: attempt,
          });
          return;
        }
        const delay = Math.min(this.retry.initialDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs);
        this.options.logger.warn(
          { err: error, topic, partition, offset: message.offset, attempt, delay },
          'handler failed; retrying',
        );
        await sleep(delay);
        await heartbeat();
      }
    }
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
