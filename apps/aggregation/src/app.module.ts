import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Logger } from 'pino';
import { ConsumerHealthCheck, KafkaHealthCheck, MessagingModule, OutboxRelayHealthCheck } from '@huoju/messaging';
import { DatabaseHealthCheck, DatabaseModule } from '@huoju/persistence';
import {
  AuthGuard,
  CLOCK,
  HealthModule,
  LoggingModule,
  AuthModule,
  clockFromEnvironment,
  namespaced,
  RedisHealthCheck,
  RedisModule,
  bullConnection,
  kafkaSecurity,
  RateLimitGuard,
  RateLimitModule,
} from '@huoju/platform';
import { AGGREGATION_CONFIG, type AggregationConfig } from './aggregation.config';
import { AggregatesController } from './aggregates/aggregates.controller';
import { AggregatesQuery } from './aggregates/aggregates.query';
import { AggregatesService } from './aggregates/aggregates.service';
import { COMPLIANCE_ENTITIES } from './compliance/compliance.entities';
import { ComplianceModule } from './compliance/compliance.module';
import { FactsRepository } from './facts/facts.repository';
import { FilingValidatedConsumer } from './facts/filing-validated.consumer';
import { FigureDeltasRepository } from './figures/figure-deltas.repository';
import { EnterpriseChangedConsumer } from './roster/enterprise-changed.consumer';
import { ROLLUP_QUEUE } from './rollups/rollup.jobs';
import { RollupPacer } from './rollups/rollup-pacer';
import { RollupReconciler } from './rollups/rollup-reconciler';
import { RollupProcessor } from './rollups/rollup.processor';
import { RollupPendingRepository } from './rollups/rollup-pending.repository';
import { RollupScheduleQuery } from './rollups/rollup-schedule.query';
import { RollupScheduler } from './rollups/rollup.scheduler';
import { RollupRepository } from './rollups/rollup.repository';
import { RollupService } from './rollups/rollup.service';
import { RollupsController } from './rollups/rollups.controller';
import { rollupQuotaProvider } from './rollups/rollup-quota';
import { TargetsController } from './targets/targets.controller';
import { TargetsService } from './targets/targets.service';
import { AGGREGATION_MIGRATIONS } from './migrations';

const httpControllers = [AggregatesController, RollupsController, TargetsController];
const messageConsumers = [FilingValidatedConsumer, EnterpriseChangedConsumer];
const processors = [RollupProcessor];
const services = [
  FactsRepository,
  FigureDeltasRepository,
  RollupService,
  RollupRepository,
  RollupScheduler,
  RollupPendingRepository,
  RollupScheduleQuery,
  RollupReconciler,
  RollupPacer,
  AggregatesService,
  AggregatesQuery,
  TargetsService,
];

/** aggregation: exact facts, roll-ups per park and period, targets, and the figures API. */
@Module({})
export class AggregationModule {
  static register(config: AggregationConfig, logger: Logger): DynamicModule {
    const names = namespaced(config.HUOJU_NAMESPACE);
    const schema = names.schema(config.AGGREGATION_SCHEMA);
    return {
      module: AggregationModule,
      global: true,
      imports: [
        LoggingModule.forRoot(logger),
        DatabaseModule.forRoot({
          useFactory: () => ({
            databaseUrl: config.DATABASE_URL,
            schema,
            entities: COMPLIANCE_ENTITIES,
            migrations: AGGREGATION_MIGRATIONS,
            poolSize: config.DB_POOL_SIZE,
          }),
        }),
        MessagingModule.forRoot({
          useFactory: () => ({
            service: 'aggregation',
            brokers: config.KAFKA_BROKERS,
            security: kafkaSecurity(config),
            databaseUrl: config.DATABASE_URL,
            schema,
            physicalTopic: names.topic,
            namespace: config.HUOJU_NAMESPACE,
            consumerGroup: names.group(config.CONSUMER_GROUP),
            publishes: ['aggregate.rolledup.v1', 'aggregate.revised.v1', 'audit.recorded.v1'],
            partitions: config.KAFKA_PARTITIONS,
            replicationFactor: config.KAFKA_REPLICATION_FACTOR,
          }),
        }),
        BullModule.forRoot({
          connection: bullConnection(config.REDIS_URL),
          prefix: `${names.queuePrefix}:${config.AGGREGATION_SCHEMA}`,
        }),
        BullModule.registerQueue({ name: ROLLUP_QUEUE }),
        RedisModule.forRoot(config.REDIS_URL),
        RateLimitModule.forRoot({
          perMinute: config.RATE_LIMIT_PER_MINUTE,
          perAddressPerMinute: config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
          namespace: config.HUOJU_NAMESPACE,
        }),
        AuthModule.forRoot({
          audience: 'aggregation',
          jwks: config.AUTH_JWKS,
          namespace: config.HUOJU_NAMESPACE,
          issuer: config.AUTH_ISSUER,
        }),
        HealthModule.register(
          [],
          [DatabaseHealthCheck, KafkaHealthCheck, OutboxRelayHealthCheck, ConsumerHealthCheck, RedisHealthCheck],
        ),
        ComplianceModule.register(config),
      ],
      controllers: [...httpControllers, ...messageConsumers],
      providers: [
        { provide: AGGREGATION_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clockFromEnvironment(config.HUOJU_CLOCK_START) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        ...processors,
        ...services,
        rollupQuotaProvider,
      ],
      // One clock and one validated config for every feature module (compliance included).
      exports: [CLOCK, AGGREGATION_CONFIG],
    };
  }
}
