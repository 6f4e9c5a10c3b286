import {
  Global,
  Inject,
  Injectable,
  Optional,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { deadLetterTopic, type Topic } from '@huoju/contracts';
import { LOGGER, Metrics, type HealthCheck, type KafkaSecurity } from '@huoju/platform';
import { DeadLetterAdmin, type DeadLetterQueue } from './dlq/dead-letter-admin';
import { createKafka } from './kafka/kafka-client';
import { ensureTopics } from './kafka/topic-admin';
import { AuditTrail } from './audit/audit-trail';
import { MESSAGING_OPTIONS } from './messaging-options.token';
import { Outbox } from './outbox/outbox';
import { OutboxRelay, type OutboxPublishedHook } from './outbox/outbox-relay';
import { KafkaBatchTransport, type RetryPolicy } from './transport/kafka-batch.transport';

export interface MessagingOptions {
  readonly service: string;
  readonly brokers: readonly string[];
  readonly security?: KafkaSecurity;
  readonly databaseUrl: string;
  /** The service's database schema, which holds its outbox and inbox. */
  readonly schema: string;
  readonly physicalTopic: (topic: string) => string;
  /** The namespace prefix of topics and groups (tests); the DLQ tool's marks live under it. */
  readonly namespace?: string;
  readonly consumerGroup: string;
  /** Topics this service publishes to: created at start so the relay never waits for them. */
  readonly publishes: readonly Topic[];
  readonly partitions: number;
  readonly replicationFactor?: number;
  readonly retry?: RetryPolicy;
  readonly onPublished?: OutboxPublishedHook;
  /** Not publishing for this long while outbox rows wait makes the service unready (default 60 s). */
  readonly relayStallAfterMs?: number;
}

export { MESSAGING_OPTIONS };
export const KAFKA = Symbol('KAFKA');
const DEAD_LETTER_REFRESH_MS = 30_000;

/** Starts the outbox relay once the application is up and stops it before the database closes. */
@Injectable()
export class OutboxRelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private creatingTopics: Promise<void> | undefined;
  private stopping = false;

  /**
   * Creates the topics this service publishes to, once; when Kafka is down, start-up goes on and the topics
   * are created in the background (the relay retries until they exist).
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.options.publishes.length > 0 && !(await this.createTopics(1))) {
      this.creatingTopics = this.createTopicsUntilDone();
    }
    await this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.creatingTopics;
    await this.relay.stop();
  }

  private async createTopicsUntilDone(): Promise<void> {
    for (let attempt = 2; !this.stopping; attempt++) {
      const until = Date.now() + Math.min(500 * 2 ** attempt, 10_000);
      while (!this.stopping && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
      if (this.stopping || (await this.createTopics(attempt))) return;
    }
  }

  private async createTopics(attempt: number): Promise<boolean> {
    try {
      await ensureTopics(this.kafka, this.options.publishes, {
        partitions: this.options.partitions,
        replicationFactor: this.options.replicationFactor,
        namespace: this.options.physicalTopic,
      });
      return true;
    } catch (error) {
      this.logger.warn({ err: error, attempt }, 'could not create the topics this service publishes to; retrying');
      return false;
    }
  }
}

/** Readiness of the outbox relay: a relay that stopped publishing while rows wait makes the service unready. */
@Injectable()
export class OutboxRelayHealthCheck implements HealthCheck {
  readonly name = 'outbox';
  constructor(private readonly relay: OutboxRelay) {}

  async check(): Promise<Record<string, unknown>> {
    const backlog = await this.relay.backlog();
    const stalled = this.relay.stalled(backlog);
    if (stalled) throw new Error(stalled);
    return { ...this.relay.status(), ...backlog };
  }
}

/**
 * The consumer's state for readiness: partitions held back by transient failures and messages parked since
 * start are details (the service is working as designed); a crashed consumer makes the service unready.
 */
@Injectable()
export class ConsumerHealthCheck implements HealthCheck, BeforeApplicationShutdown {
  readonly name = 'consumer';
  private transport: KafkaBatchTransport | undefined;
  private deadLetters: DeadLetterQueue[] | undefined;
  private refresh: NodeJS.Timeout | undefined;
  private update: (() => void) | undefined;
  private refreshedAtCount = -1;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  attach(transport: KafkaBatchTransport): void {
    this.transport = transport;
    // Depth and the oldest parked message need a read of Kafka: refreshed in the background, not per probe.
    const dlq = new DeadLetterAdmin(this.kafka, this.options.namespace ?? '');
    const update = () => {
      const topics = transport.topics.map((topic) => this.options.physicalTopic(deadLetterTopic(topic)));
      if (topics.length === 0) return;
      const count = transport.deadLetterCount;
      dlq.queues(topics).then(
        (queues) => {
          this.deadLetters = queues;
          this.refreshedAtCount = count;
        },
        () => undefined,
      );
    };
    this.update = update;
    this.refresh = setInterval(update, DEAD_LETTER_REFRESH_MS);
    this.refresh.unref();
    setTimeout(update, 1_000).unref();
    // The same figures as metrics; the age grows between refreshes, so it is computed at scrape time.
    this.metrics?.onScrape(async () => {
      const now = Date.now();
      for (const queue of this.deadLetters ?? []) {
        this.metrics?.dlqDepth.set({ topic: queue.topic }, queue.depth);
        this.metrics?.dlqOldestAge.set({ topic: queue.topic }, parkedAgeSeconds(queue, now));
      }
    });
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.refresh);
  }

  check(): Promise<Record<string, unknown>> {
    if (!this.transport?.subscribes) return Promise.resolve({ consuming: false });
    if (this.transport.crashed) {
      return Promise.reject(new Error(`the Kafka consumer crashed: ${this.transport.crashed}`));
    }
    if (!this.transport.consuming) {
      return Promise.reject(new Error('the Kafka consumer has not joined its group yet'));
    }
    // A message parked since the last refresh: read the depths again now rather than at the next interval.
    if (this.transport.deadLetterCount !== this.refreshedAtCount) this.update?.();
    const now = Date.now();
    return Promise.resolve({
      consuming: true,
      blockedPartitions: this.transport.blockedPartitions,
      parkedSinceStart: this.transport.deadLetterCount,
      deadLetters: this.deadLetters?.map((queue) => ({ ...queue, oldestParkedAgeS: parkedAgeSeconds(queue, now) })),
    });
  }
}

function parkedAgeSeconds(queue: DeadLetterQueue, now: number): number {
  return queue.oldestParkedAt ? Math.max(0, Math.round((now - Date.parse(queue.oldestParkedAt)) / 1000)) : 0;
}

@Injectable()
export class KafkaHealthCheck implements HealthCheck, BeforeApplicationShutdown {
  readonly name = 'kafka';
  private admin: Admin | undefined;
  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  async check(): Promise<void> {
    try {
      if (!this.admin) {
        this.admin = this.kafka.admin();
        await this.admin.connect();
      }
      await this.admin.describeCluster();
    } catch (error) {
      // A fresh admin next time: one that failed to connect does not recover by itself.
      const admin = this.admin;
      this.admin = undefined;
      void admin?.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect();
  }
}

/** Kafka client, outbox, relay and health for one service; the transport is created with `createTransport`. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: { inject?: unknown[]; useFactory: (...args: never[]) => MessagingOptions }): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: MESSAGING_OPTIONS, useFactory: options.useFactory, inject: (options.inject ?? []) as never[] },
        {
          provide: KAFKA,
          inject: [MESSAGING_OPTIONS, LOGGER],
          useFactory: (messaging: MessagingOptions, logger: Logger) =>
            createKafka({
              brokers: messaging.brokers,
              clientId: messaging.service,
              logger,
              security: messaging.security,
            }),
        },
        Outbox,
        AuditTrail,
        {
          provide: OutboxRelay,
          inject: [MikroORM, KAFKA, LOGGER, MESSAGING_OPTIONS, { token: Metrics, optional: true }],
          useFactory: (orm: MikroORM, kafka: Kafka, logger: Logger, messaging: MessagingOptions, metrics?: Metrics) =>
            new OutboxRelay(orm, kafka, logger.child({ component: 'outbox-relay' }), {
              databaseUrl: messaging.databaseUrl,
              schema: messaging.schema,
              physicalTopic: messaging.physicalTopic,
              onPublished: messaging.onPublished,
              stallAfterMs: messaging.relayStallAfterMs,
              metrics,
            }),
        },
        OutboxRelayLifecycle,
        KafkaHealthCheck,
        OutboxRelayHealthCheck,
        ConsumerHealthCheck,
      ],
      exports: [
        KAFKA,
        Outbox,
        AuditTrail,
        OutboxRelay,
        KafkaHealthCheck,
        OutboxRelayHealthCheck,
        ConsumerHealthCheck,
        MESSAGING_OPTIONS,
      ],
    };
  }
}

/** The service's Kafka consumer, as a Nest transport strategy for app.connectMicroservice. */
export function createTransport(
  kafka: Kafka,
  logger: Logger,
  options: MessagingOptions,
  metrics?: Metrics,
  onCrash?: (error: Error) => void,
): KafkaBatchTransport {
  return new KafkaBatchTransport({
    onCrash,
    kafka,
    logger: logger.child({ component: 'kafka-consumer' }),
    groupId: options.consumerGroup,
    physicalTopic: options.physicalTopic,
    partitions: options.partitions,
    replicationFactor: options.replicationFactor,
    retry: options.retry,
    metrics,
  });
}
