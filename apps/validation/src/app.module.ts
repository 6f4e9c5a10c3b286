import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { RuleSet } from '@huoju/domain';
import { ConsumerHealthCheck, KafkaHealthCheck, MessagingModule, OutboxRelayHealthCheck } from '@huoju/messaging';
import { DatabaseHealthCheck, DatabaseModule } from '@huoju/persistence';
import { CLOCK, HealthModule, LoggingModule, clockFromEnvironment, namespaced, kafkaSecurity } from '@huoju/platform';
import { EnterpriseChangedConsumer } from './roster/enterprise-changed.consumer';
import { VALIDATION_CONFIG, type ValidationConfig } from './validation.config';
import { FilingSubmittedConsumer } from './verdicts/filing-submitted.consumer';
import { RuleSetRollout } from './verdicts/rule-set-rollout';
import { RuleSets } from './verdicts/rule-sets';
import { ValidationService } from './verdicts/validation.service';
import { VerdictRepository } from './verdicts/verdict.repository';
import { VALIDATION_MIGRATIONS } from './migrations';
import { RuleSetAppliedSchema } from './verdicts/rule-set-applied.entity';

export const VALIDATION_SCHEMA = 'validation';

const messageConsumers = [FilingSubmittedConsumer, EnterpriseChangedConsumer];
const services = [ValidationService, RuleSetRollout];
const repositories = [VerdictRepository];

/** validation: one versioned rule engine applied to every submitted filing. */
@Module({})
export class ValidationModule {
  /** `ruleSetOverrides` replaces rule sets of some form versions (a rule change rolled out, or a test). */
  static register(config: ValidationConfig, logger: Logger, ruleSetOverrides: readonly RuleSet[] = []): DynamicModule {
    const names = namespaced(config.HUOJU_NAMESPACE);
    const schema = names.schema(VALIDATION_SCHEMA);
    return {
      module: ValidationModule,
      imports: [
        LoggingModule.forRoot(logger),
        DatabaseModule.forRoot({
          useFactory: () => ({
            databaseUrl: config.DATABASE_URL,
            schema,
            entities: [RuleSetAppliedSchema],
            migrations: VALIDATION_MIGRATIONS,
            poolSize: config.DB_POOL_SIZE,
          }),
        }),
        MessagingModule.forRoot({
          useFactory: () => ({
            service: 'validation',
            brokers: config.KAFKA_BROKERS,
            security: kafkaSecurity(config),
            databaseUrl: config.DATABASE_URL,
            schema,
            physicalTopic: names.topic,
            namespace: config.HUOJU_NAMESPACE,
            consumerGroup: names.group('validation'),
            publishes: ['filing.validated.v1'],
            partitions: config.KAFKA_PARTITIONS,
            replicationFactor: config.KAFKA_REPLICATION_FACTOR,
            retry: { attempts: config.CONSUMER_ATTEMPTS, initialDelayMs: 200, maxDelayMs: 5_000 },
          }),
        }),
        HealthModule.register([], [DatabaseHealthCheck, KafkaHealthCheck, OutboxRelayHealthCheck, ConsumerHealthCheck]),
      ],
      controllers: messageConsumers,
      providers: [
        { provide: VALIDATION_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clockFromEnvironment(config.HUOJU_CLOCK_START) },
        { provide: RuleSets, useValue: new RuleSets(ruleSetOverrides) },
        ...services,
        ...repositories,
      ],
    };
  }
}
