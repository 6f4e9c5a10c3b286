import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import type { AggregationConfig } from '../aggregation.config';
import { VerdictsAppliedHook } from '../facts/verdicts-applied.hook';
import { COMPLIANCE_CONFIG } from './compliance.config';
import { ComplianceController } from './compliance.controller';
import { DEADLINE_QUEUE, WEBHOOK_QUEUE } from './compliance.jobs';
import { ComplianceService } from './compliance.service';
import { DeadlineProcessor } from './deadline.processor';
import { DeadlineScheduler } from './deadline.scheduler';
import { DeliveryDispatcher } from './delivery.dispatcher';
import { EvaluationRepository } from './evaluation.repository';
import { EvaluationService } from './evaluation.service';
import { ExpectationsRepository } from './expectations.repository';
import { QueueRemindersQuery } from './queue-reminders.query';
import { ReminderRepository } from './reminder.repository';
import { ReminderService, ReminderTopics } from './reminder.service';
import { WebhookProcessor } from './webhook.processor';
import { WebhookRepository } from './webhook.repository';
import { WebhookService } from './webhook.service';
import { WebhooksController } from './webhooks.controller';

/**
 * Compliance (催报): expected filings and their status per street/town and park, the work queue, trends,
 * deadline reminders as events and signed webhooks, and park evaluation (一次通报、两次摘牌).
 */
@Module({})
export class ComplianceModule {
  /** Its variables come validated with the app's (COMPLIANCE_*); the clock is the app's. */
  static register(config: AggregationConfig): DynamicModule {
    return {
      module: ComplianceModule,
      imports: [BullModule.registerQueue({ name: DEADLINE_QUEUE }, { name: WEBHOOK_QUEUE })],
      controllers: [ComplianceController, WebhooksController],
      providers: [
        { provide: COMPLIANCE_CONFIG, useValue: config },
        // Late first filings are announced as soon as their verdicts are applied (the facts feature's hook).
        { provide: VerdictsAppliedHook, useExisting: ReminderService },
        ExpectationsRepository,
        QueueRemindersQuery,
        ComplianceService,
        EvaluationRepository,
        EvaluationService,
        ReminderTopics,
        ReminderRepository,
        ReminderService,
        DeliveryDispatcher,
        WebhookRepository,
        WebhookService,
        DeadlineScheduler,
        DeadlineProcessor,
        WebhookProcessor,
      ],
      exports: [VerdictsAppliedHook],
    };
  }
}
