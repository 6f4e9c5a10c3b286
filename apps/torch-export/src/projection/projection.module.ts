import { Module } from '@nestjs/common';
import { EnterpriseChangedConsumer } from './enterprise-changed.consumer';
import { FilingValidatedConsumer } from './filing-validated.consumer';
import { RosterHistoryRepository } from './roster-history.repository';
import { VerdictRepository } from './verdict.repository';

const messageConsumers = [EnterpriseChangedConsumer, FilingValidatedConsumer];
const repositories = [RosterHistoryRepository, VerdictRepository];

/** torch-export's own copy of what it exports: the roster history and the verdict history, built from Kafka. */
@Module({ controllers: messageConsumers, providers: repositories, exports: repositories })
export class ProjectionModule {}
