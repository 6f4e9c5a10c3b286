import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { Metrics } from '@huoju/platform';
import { COMPLIANCE_CONFIG, type ComplianceConfig } from './compliance.config';
import { WEBHOOK_QUEUE, WebhookJob, type WebhookJobOf } from './compliance.jobs';
import { WebhookService } from './webhook.service';

/** The webhook worker: one attempt per run; BullMQ retries failures with exponential back-off. */
@Processor(WEBHOOK_QUEUE)
export class WebhookProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly webhooks: WebhookService,
    @Inject(COMPLIANCE_CONFIG) private readonly config: ComplianceConfig,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.COMPLIANCE_WEBHOOK_CONCURRENCY;
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as WebhookJob) {
      case WebhookJob.Deliver: {
        const { deliveryId } = job.data as WebhookJobOf<WebhookJob.Deliver>;
        const attempt = job.attemptsMade + 1;
        const last = attempt >= (job.opts.attempts ?? 1);
        try {
          const result = await this.webhooks.deliver(deliveryId, attempt, last);
          if (result === 'delivered') this.metrics.reminders.inc({ outcome: 'sent' });
          return result;
        } catch (error) {
          if (last) this.metrics.reminders.inc({ outcome: 'failed' });
          throw error;
        }
      }
    }
  }
}
