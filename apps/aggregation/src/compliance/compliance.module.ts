import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { CLOCK, clockFromEnvironment } from '@huoju/platform';
import type { AggregationConfig } from '../aggregation.config';
import { COMPLIANCE_CONFIG, loadComplianceConfig } from './compliance.config';
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
  /** Reads its own variables once (see compliance.config.ts); the clock starts where the app's does. */
  static register(
    config: Pick<AggregationConfig, 'HUOJU_CLOCK_START'>,
    env: NodeJS.ProcessEnv = process.env,
  ): DynamicModule {
    return {
      module: ComplianceModule,
      imports: [BullModule.registerQueue({ name: DEADLINE_QUEUE }, { name: WEBHOOK_QUEUE })],
      controllers: [ComplianceController, WebhooksController],
      providers: [
        { provide: COMPLIANCE_CONFIG, useValue: loadComplianceConfig(env) },
        { provide: CLOCK, useValue: clockFromEnvironment(config.HUOJU_CLOCK_START) },
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
      // For the filing.validated.v1 consumer's optional late-received hook (ReminderService.filingsValidated).
      exports: [ReminderService],
    };
  }
}
