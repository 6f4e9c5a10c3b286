import { mkdirSync } from 'node:fs';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Logger } from 'pino';
import { DatabaseHealthCheck, DatabaseModule } from '@huoju/persistence';
import { ConsumerHealthCheck, KafkaHealthCheck, MessagingModule, OutboxRelayHealthCheck } from '@huoju/messaging';
import {
  AuthGuard,
  CLOCK,
  HealthModule,
  LoggingModule,
  AuthModule,
  RedisHealthCheck,
  RedisModule,
  clockFromEnvironment,
  namespaced,
  kafkaSecurity,
  RateLimitGuard,
  RateLimitModule,
} from '@huoju/platform';
import { AutoExportModule } from './auto-export/auto-export.module';
import { ExportsModule } from './export/exports.module';
import { ProjectionModule } from './projection/projection.module';
import { TORCH_EXPORT_CONFIG, type TorchExportConfig } from './torch-export.config';
import { ExportJobSchema } from './export/export-job.entity';
import { TORCH_EXPORT_MIGRATIONS } from './migrations';

export const TORCH_EXPORT_SCHEMA = 'torch_export';

/** torch-export: its projection of roster and verdicts, export jobs and files, automatic exports. */
@Module({})
export class TorchExportModule {
  static register(config: TorchExportConfig, logger: Logger): DynamicModule {
    const names = namespaced(config.HUOJU_NAMESPACE);
    mkdirSync(config.EXPORT_DIR, { recursive: true });
    return {
      module: TorchExportModule,
      global: true,
      imports: [
        LoggingModule.forRoot(logger),
        DatabaseModule.forRoot({
          useFactory: () => ({
            databaseUrl: config.DATABASE_URL,
            schema: names.schema(TORCH_EXPORT_SCHEMA),
            entities: [ExportJobSchema],
            migrations: TORCH_EXPORT_MIGRATIONS,
            poolSize: config.DB_POOL_SIZE,
          }),
        }),
        MessagingModule.forRoot({
          useFactory: () => ({
            service: 'torch-export',
            brokers: config.KAFKA_BROKERS,
            security: kafkaSecurity(config),
            databaseUrl: config.DATABASE_URL,
            schema: names.schema(TORCH_EXPORT_SCHEMA),
            physicalTopic: names.topic,
            namespace: config.HUOJU_NAMESPACE,
            consumerGroup: names.group('torch-export'),
            publishes: ['audit.recorded.v1'],
            partitions: config.KAFKA_PARTITIONS,
            replicationFactor: config.KAFKA_REPLICATION_FACTOR,
          }),
        }),
        RedisModule.forRoot(config.REDIS_URL),
        RateLimitModule.forRoot({
          perMinute: config.RATE_LIMIT_PER_MINUTE,
          perAddressPerMinute: config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
          namespace: config.HUOJU_NAMESPACE,
        }),
        AuthModule.forRoot({
          audience: 'torch-export',
          jwks: config.AUTH_JWKS,
          namespace: config.HUOJU_NAMESPACE,
          issuer: config.AUTH_ISSUER,
        }),
        HealthModule.register(
          [],
          [DatabaseHealthCheck, KafkaHealthCheck, OutboxRelayHealthCheck, ConsumerHealthCheck, RedisHealthCheck],
        ),
        ProjectionModule,
        ExportsModule,
        AutoExportModule,
      ],
      providers: [
        { provide: TORCH_EXPORT_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clockFromEnvironment(config.HUOJU_CLOCK_START) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
      exports: [TORCH_EXPORT_CONFIG, CLOCK],
    };
  }
}
