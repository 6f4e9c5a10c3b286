import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { LOGGER } from '@huoju/platform';
import { TORCH_EXPORT_CONFIG, type TorchExportConfig } from '../torch-export.config';
import { ExportJobRepository } from './export-job.repository';
import { ExportQueue } from './export.queue';

/**
 * PostgreSQL holds the truth of which exports must still run (rows queued or running), Redis only their
 * jobs. At start, when Redis comes back (`ready`) and every EXPORT_RECONCILE_EVERY_MS — a flush keeps the
 * connection, so only the timer sees it — every such row without a live job is queued again, and the file
 * expiry's job scheduler is created again if it went. Re-adding is idempotent (the job id is the export id).
 */
@Injectable()
export class ExportReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly orm: MikroORM,
    private readonly jobs: ExportJobRepository,
    private readonly queue: ExportQueue,
    @Inject(TORCH_EXPORT_CONFIG) private readonly config: TorchExportConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.queue.connection.on('ready', () => void this.trigger('redis ready'));
    this.timer = setInterval(() => void this.trigger('periodic'), this.config.EXPORT_RECONCILE_EVERY_MS);
    this.timer.unref();
    // Not awaited: with Redis down the service still starts, and this finishes when Redis answers.
    void this.trigger('start');
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One reconciliation now (or the one already running); what the timer and `ready` do, also for tests. */
  trigger(reason: string): Promise<void> {
    this.running ??= this.reconcile(reason).finally(() => (this.running = undefined));
    return this.running;
  }

  private async reconcile(reason: string): Promise<void> {
    try {
      let added = 0;
      let retried = 0;
      for (const id of await this.jobs.unfinishedIds(this.orm.em.fork())) {
        const outcome = await this.queue.ensureQueued(id);
        if (outcome === 'added') added++;
        if (outcome === 'retried') retried++;
      }
      if (added + retried > 0) this.logger.info({ added, retried, reason }, 'exports without a job queued again');
      if ((await this.queue.ensureExpiryScheduler()) && reason !== 'start')
        this.logger.warn(
          { reason },
          'the export file expiry scheduler was missing (Redis lost its data); created again',
        );
    } catch (error) {
      this.logger.warn({ err: error, reason }, 'export reconciliation failed; retried at the next tick');
    }
  }
}
