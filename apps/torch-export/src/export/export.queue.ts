import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { LOGGER, namespaced } from '@huoju/platform';
import { TORCH_EXPORT_CONFIG, type TorchExportConfig } from '../torch-export.config';
import { ExportJobRepository } from './export-job.repository';
import { EXPORT_QUEUE, ExportProcessor, type ExportJobData } from './export.processor';

/**
 * The BullMQ `torch-export` queue (keys under the namespace's prefix) and its worker, whose concurrency
 * comes from validated config. A job carries only the export id; the job row holds everything else, so a
 * job added twice (same id) is one job. At start, jobs left queued or running are put back in the queue.
 */
@Injectable()
export class ExportQueue implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly prefix: string;
  private readonly queueConnection: Redis;
  private readonly queue: Queue<ExportJobData>;
  private workerConnection: Redis | undefined;
  private worker: Worker<ExportJobData> | undefined;

  constructor(
    @Inject(TORCH_EXPORT_CONFIG) private readonly config: TorchExportConfig,
    private readonly processor: ExportProcessor,
    private readonly jobs: ExportJobRepository,
    private readonly orm: MikroORM,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.prefix = namespaced(config.HUOJU_NAMESPACE).queuePrefix;
    this.queueConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue<ExportJobData>(EXPORT_QUEUE, { connection: this.queueConnection, prefix: this.prefix });
  }

  async enqueue(exportId: string): Promise<void> {
    await this.queue.add(
      'export',
      { exportId },
      {
        jobId: exportId,
        attempts: this.config.EXPORT_JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: 2_000 },
        removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
        removeOnFail: { age: 30 * 24 * 3600 },
      },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    this.workerConnection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.worker = new Worker<ExportJobData>(EXPORT_QUEUE, (job) => this.processor.process(job), {
      connection: this.workerConnection,
      prefix: this.prefix,
      concurrency: this.config.EXPORT_CONCURRENCY,
    });
    this.worker.on('error', (error) => this.logger.error({ err: error }, 'export worker error'));
    const unfinished = await this.jobs.unfinishedIds(this.orm.em.fork());
    for (const id of unfinished) await this.enqueue(id);
    if (unfinished.length > 0) this.logger.info({ count: unfinished.length }, 'unfinished exports queued again');
  }

  /** The worker stops first; the queue stays open until HTTP has drained (a request in flight may enqueue). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    await this.workerConnection?.quit().catch(() => undefined);
    await this.queueConnection.quit().catch(() => undefined);
  }
}
