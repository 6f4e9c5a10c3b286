import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import { CLOCK, type Clock } from '@huoju/platform';
import { COMPLIANCE_CONFIG, type ComplianceConfig } from './compliance.config';
import { WebhookRepository } from './webhook.repository';
import { WEBHOOK_QUEUE, WebhookJob, deliveryJobId, type WebhookJobOf } from './compliance.jobs';

/**
 * Hands committed deliveries to the webhook queue. The delivery row is the durable intent (written with its
 * reminder); the job id is the delivery id, so queueing it again after a crash or from the sweep is a no-op.
 */
@Injectable()
export class DeliveryDispatcher {
  constructor(
    @InjectQueue(WEBHOOK_QUEUE) private readonly queue: Queue,
    private readonly orm: MikroORM,
    @Inject(COMPLIANCE_CONFIG) private readonly config: ComplianceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly webhooks: WebhookRepository,
  ) {}

  async enqueue(deliveryIds: readonly string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.queue.addBulk(
      deliveryIds.map((deliveryId) => ({
        name: WebhookJob.Deliver,
        data: { deliveryId } satisfies WebhookJobOf<WebhookJob.Deliver>,
        opts: {
          jobId: deliveryJobId(deliveryId),
          attempts: this.config.COMPLIANCE_WEBHOOK_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.config.COMPLIANCE_WEBHOOK_BACKOFF_MS },
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 30 * 24 * 3600 },
        },
      })),
    );
  }

  /** Deliveries committed but never queued (a crash right after the commit): queued again; existing jobs are left alone. */
  async requeuePending(): Promise<number> {
    const ids = await this.webhooks.pendingIds(this.orm.em.fork(), new Date(this.clock.now().getTime() - 30_000), 1000);
    await this.enqueue(ids);
    return ids.length;
  }
}
