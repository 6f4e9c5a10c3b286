import { Module } from '@nestjs/common';
import { FilingContextBuilder } from './filing-context';
import { FilingMetrics } from './filing-metrics';
import { FilingValidatedConsumer } from './filing-validated.consumer';
import { FilingStatusRepository } from './filing-status.repository';
import { FilingRepository } from './filing.repository';
import { IdempotencyRepository } from './idempotency.repository';
import { FilingsController } from './filings.controller';
import { FilingsService } from './filings.service';

const httpControllers = [FilingsController];
const messageConsumers = [FilingValidatedConsumer];
const services = [FilingsService, FilingContextBuilder, FilingMetrics];
const repositories = [FilingRepository, FilingStatusRepository, IdempotencyRepository];

@Module({ controllers: [...httpControllers, ...messageConsumers], providers: [...services, ...repositories] })
export class FilingsModule {}
