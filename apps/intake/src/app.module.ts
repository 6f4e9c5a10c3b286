import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Logger } from 'pino';
import { DatabaseHealthCheck, DatabaseModule } from '@huoju/persistence';
import {
  ConsumerHealthCheck,
  KafkaHealthCheck,
  MessagingModule,
  OutboxRelayHealthCheck,
  type PublishedEvent,
} from '@huoju/messaging';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  AuthGuard,
  AuthModule,
  CLOCK,
  HealthModule,
  LoggingModule,
  clockFromEnvironment,
  namespaced,
  RedisHealthCheck,
  RedisModule,
  kafkaSecurity,
  RateLimitGuard,
  RateLimitModule,
} from '@huoju/platform';
import { AccountSchema } from './accounts/account.entity';
import { AccountsModule } from './accounts/accounts.module';
import { RefreshTokenSchema } from './accounts/refresh-token.entity';
import { AuditEntrySchema } from './audit/audit-entry.entity';
import { AuditModule } from './audit/audit.module';
import { ApiKeySchema } from './auth/api-key.entity';
import { ApiKeyRepository } from './auth/api-key.repository';
import { ApiKeyService } from './auth/api-key.service';
import { AuthController } from './auth/auth.controller';
import { JwksController } from './auth/jwks.controller';
import { FilingRevisionSchema, FilingSchema } from './filings/filing.entity';
import { FilingsModule } from './filings/filings.module';
import { FormsController } from './forms/forms.controller';
import { INTAKE_CONFIG, intakeJwks, type IntakeConfig } from './intake.config';
import { EnterpriseMembershipSchema, EnterpriseSchema, EnterpriseStreetSchema } from './registry/enterprise.entity';
import { RegistryModule } from './registry/registry.module';
import { INTAKE_MIGRATIONS } from './migrations';
import { FilingStatusRepository, type PublishedSubmission } from './filings/filing-status.repository';
import { StuckFilingModule } from './sweeper/stuck-filing.module';
import { StuckFilingSweeper } from './sweeper/stuck-filing.sweeper';

export const INTAKE_SCHEMA = 'intake';

/** intake: the roster, the forms, filings and receipts, and who may do what. */
@Module({})
export class IntakeModule {
  static register(config: IntakeConfig, logger: Logger): DynamicModule {
    const names = namespaced(config.HUOJU_NAMESPACE);
    return {
      module: IntakeModule,
      global: true,
      imports: [
        LoggingModule.forRoot(logger),
        DatabaseModule.forRoot({
          useFactory: () => ({
            databaseUrl: config.DATABASE_URL,
            schema: names.schema(INTAKE_SCHEMA),
            entities: [
              AccountSchema,
              RefreshTokenSchema,
              ApiKeySchema,
              AuditEntrySchema,
              EnterpriseSchema,
              EnterpriseMembershipSchema,
              EnterpriseStreetSchema,
              FilingSchema,
              FilingRevisionSchema,
            ],
            migrations: INTAKE_MIGRATIONS,
            poolSize: config.DB_POOL_SIZE,
          }),
        }),
        MessagingModule.forRoot({
          useFactory: () => ({
            service: 'intake',
            brokers: config.KAFKA_BROKERS,
            security: kafkaSecurity(config),
            databaseUrl: config.DATABASE_URL,
            schema: names.schema(INTAKE_SCHEMA),
            physicalTopic: names.topic,
            namespace: config.HUOJU_NAMESPACE,
            consumerGroup: names.group('intake'),
            publishes: ['filing.submitted.v1', 'registry.enterprise-changed.v1'],
            partitions: config.KAFKA_PARTITIONS,
            replicationFactor: config.KAFKA_REPLICATION_FACTOR,
            onPublished: markValidating,
          }),
        }),
        RedisModule.forRoot(config.REDIS_URL),
        RateLimitModule.forRoot({
          perMinute: config.RATE_LIMIT_PER_MINUTE,
          perAddressPerMinute: config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
          namespace: config.HUOJU_NAMESPACE,
        }),
        AuthModule.forRoot({
          audience: 'intake',
          jwks: intakeJwks(config),
          namespace: config.HUOJU_NAMESPACE,
          issuer: config.AUTH_ISSUER,
          signingKey: config.AUTH_SIGNING_KEY,
        }),
        HealthModule.register(
          [],
          [
            DatabaseHealthCheck,
            KafkaHealthCheck,
            OutboxRelayHealthCheck,
            ConsumerHealthCheck,
            RedisHealthCheck,
            StuckFilingSweeper,
          ],
        ),
        RegistryModule,
        FilingsModule,
        AuditModule,
        AccountsModule,
        StuckFilingModule,
      ],
      controllers: [AuthController, JwksController, FormsController],
      providers: [
        { provide: INTAKE_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clockFromEnvironment(config.HUOJU_CLOCK_START) },
        ApiKeyRepository,
        ApiKeyService,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
      exports: [INTAKE_CONFIG, CLOCK],
    };
  }
}

/** A submitted revision is "validating" once its event is on its way to the validation service. */
function markValidating(em: EntityManager, events: readonly PublishedEvent[]): Promise<void> {
  const submitted = events
    .filter((event) => event.topic === 'filing.submitted.v1')
    .map((event) => event.envelope.payload as PublishedSubmission);
  return new FilingStatusRepository().markValidating(em, submitted);
}
