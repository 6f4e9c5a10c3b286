import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { LOGGER } from '@huoju/platform';
import { AGGREGATION_CONFIG, type AggregationConfig } from '../aggregation.config';
import { ROLLUP_QUEUE } from './rollup.jobs';
import { RollupScheduler } from './rollup.scheduler';

/**
 * Redis holds the roll-up queue, PostgreSQL the truth of what is pending (rollup_pending). When Redis comes
 * back (`ready`) and every ROLLUP_RECONCILE_EVERY_MS — a flush keeps the connection, so only the timer
 * sees it — the missing jobs and the closing job scheduler are created again. Re-adding is idempotent.
 */
@Injectable()
export class RollupReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @InjectQueue(ROLLUP_QUEUE) private readonly queue: Queue,
    private readonly scheduler: RollupScheduler,
    @Inject(AGGREGATION_CONFIG) private readonly config: AggregationConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: the client resolves only once Redis answers, and the service must start without it.
    void this.queue.getBackend().client.then(
      (client) => client.on('ready', () => this.trigger('redis ready')),
      () => undefined,
    );
    this.timer = setInterval(() => this.trigger('periodic'), this.config.ROLLUP_RECONCILE_EVERY_MS);
    this.timer.unref();
    // What was pending when the service stopped is queued again at start.
    this.trigger('start');
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private trigger(reason: string): void {
    if (this.running) return;
    this.running = this.reconcile(reason).finally(() => (this.running = undefined));
  }

  private async reconcile(reason: string): Promise<void> {
    try {
      // Pending rows younger than one interval are normally still on their way from the consumer.
      const requeued = await this.scheduler.reconcile(
        reason === 'periodic' ? this.config.ROLLUP_RECONCILE_EVERY_MS : 0,
      );
      if (requeued > 0) this.logger.info({ requeued, reason }, 'pending roll-ups queued again from PostgreSQL');
    } catch (error) {
      this.logger.warn({ err: error, reason }, 'roll-up reconciliation failed; retried at the next tick');
    }
  }
}
