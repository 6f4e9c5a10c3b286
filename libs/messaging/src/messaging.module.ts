import {
  Global,
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Topic } from '@huoju/contracts';
import { LOGGER, Metrics, type HealthCheck } from '@huoju/platform';
import { createKafka } from './kafka/kafka-client';
import { ensureTopics } from './kafka/topic-admin';
import { Outbox } from './outbox/outbox';
import { OutboxRelay, type OutboxPublishedHook } from './outbox/outbox-relay';
import { KafkaBatchTransport, type RetryPolicy } from './transport/kafka-batch.transport';

export interface MessagingOptions {
  readonly service: string;
  readonly brokers: readonly string[];
  readonly databaseUrl: string;
  /** The service's database schema, which holds its outbox and inbox. */
  readonly schema: string;
  readonly physicalTopic: (topic: string) => string;
  readonly consumerGroup: string;
  /** Topics this service publishes to: created at start so the relay never waits for them. */
  readonly publishes: readonly Topic[];
  readonly partitions: number;
  readonly retry?: RetryPolicy;
  readonly onPublished?: OutboxPublishedHook;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
export const KAFKA = Symbol('KAFKA');

/** Starts the outbox relay once the application is up and stops it before the database closes. */
@Injectable()
export class OutboxRelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.publishes.length > 0) {
      await ensureTopics(this.kafka, this.options.publishes, {
        partitions: this.options.partitions,
        namespace: this.options.physicalTopic,
      });
    }
    await this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

@Injectable()
export class KafkaHealthCheck implements HealthCheck, BeforeApplicationShutdown {
  readonly name = 'kafka';
  private admin: Admin | undefined;
  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  async check(): Promise<void> {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    await this.admin.describeCluster();
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
            createKafka({ brokers: messaging.brokers, clientId: messaging.service, logger }),
        },
        Outbox,
        {
          provide: OutboxRelay,
          inject: [MikroORM, KAFKA, LOGGER, MESSAGING_OPTIONS, { token: Metrics, optional: true }],
          useFactory: (orm: MikroORM, kafka: Kafka, logger: Logger, messaging: MessagingOptions, metrics?: Metrics) =>
            new OutboxRelay(orm, kafka, logger.child({ component: 'outbox-relay' }), {
              databaseUrl: messaging.databaseUrl,
              schema: messaging.schema,
              physicalTopic: messaging.physicalTopic,
              onPublished: messaging.onPublished,
              metrics,
            }),
        },
        OutboxRelayLifecycle,
        KafkaHealthCheck,
      ],
      exports: [KAFKA, Outbox, OutboxRelay, KafkaHealthCheck, MESSAGING_OPTIONS],
    };
  }
}

/** The service's Kafka consumer, as a Nest transport strategy for app.connectMicroservice. */
export function createTransport(
  kafka: Kafka,
  logger: Logger,
  options: MessagingOptions,
  metrics?: Metrics,
): KafkaBatchTransport {
  return new KafkaBatchTransport({
    kafka,
    logger: logger.child({ component: 'kafka-consumer' }),
    groupId: options.consumerGroup,
    physicalTopic: options.physicalTopic,
    partitions: options.partitions,
    retry: options.retry,
    metrics,
  });
}
