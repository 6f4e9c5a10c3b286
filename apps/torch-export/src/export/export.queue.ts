import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { LOGGER, namespaced } from '@huoju/platform';
import { TORCH_EXPORT_CONFIG, type TorchExportConfig } from '../torch-export.config';
import { ExportFileExpiry } from './export-file-expiry.service';
import { EXPORT_QUEUE, ExportProcessor, type ExportJobData } from './export.processor';

/** The job scheduler that runs the file expiry on one instance every EXPORT_FILE_EXPIRY_EVERY_MS. */
export const FILE_EXPIRY_SCHEDULER = 'export-file-expiry';
const FILE_EXPIRY_JOB = 'expire-files';

/** How long a request waits for Redis to take a job before answering anyway (the reconciler queues it later). */
const ENQUEUE_WAIT_MS = 2_000;

/**
 * The BullMQ `torch-export` queue (keys under the namespace's prefix) and its worker, whose concurrency
 * comes from validated config. A job carries only the export id; the job row holds everything else, so a
 * job added twice (same id) is one job, and rows whose job is missing are queued again by ExportReconciler.
 * The same queue runs the file expiry from a job scheduler.
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
    private readonly expiry: ExportFileExpiry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.prefix = namespaced(config.HUOJU_NAMESPACE).queuePrefix;
    this.queueConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue<ExportJobData>(EXPORT_QUEUE, { connection: this.queueConnection, prefix: this.prefix });
    // While Redis is away the queue reports each failed reconnect; readiness says so too, the log once per error.
    this.queue.on('error', (error) => this.logger.warn({ err: error }, 'export queue: Redis error'));
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

  /**
   * Queues the export unless Redis does not take it within ENQUEUE_WAIT_MS (down, or slow): the row is
   * already stored as queued, so the reconciler queues it when Redis answers again. Never throws.
   */
  async enqueueSoon(exportId: string): Promise<boolean> {
    const added = this.enqueue(exportId).then(
      () => true,
      (error: unknown) => {
        this.logger.warn({ err: error, exportId }, 'export not queued; the reconciler queues it again');
        return false;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ENQUEUE_WAIT_MS)));
    const queued = await Promise.race([added, timedOut]);
    clearTimeout(timer);
    if (!queued) this.logger.warn({ exportId }, 'Redis did not take the export in time; the reconciler queues it');
    return queued;
  }

  /** Whether the queue holds a job for the export that will still run; a failed one is retried. */
  async ensureQueued(exportId: string): Promise<'present' | 'added' | 'retried'> {
    const job = await this.queue.getJob(exportId);
    if (!job) {
      await this.enqueue(exportId);
      return 'added';
    }
    if (await job.isFailed()) {
      await job.retry('failed');
      return 'retried';
    }
    return 'present';
  }

  /** Creates the expiry's job scheduler when it is missing (first start, or a Redis flush); true when it did. */
  async ensureExpiryScheduler(): Promise<boolean> {
    if (await this.queue.getJobScheduler(FILE_EXPIRY_SCHEDULER)) return false;
    await this.queue.upsertJobScheduler(
      FILE_EXPIRY_SCHEDULER,
      { every: this.config.EXPORT_FILE_EXPIRY_EVERY_MS },
      { name: FILE_EXPIRY_JOB, data: { exportId: '' }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    return true;
  }

  /** The queue's own connection, whose `ready` tells the reconciler that Redis is back. */
  get connection(): Redis {
    return this.queueConnection;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.workerConnection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.worker = new Worker<ExportJobData>(EXPORT_QUEUE, (job) => this.run(job), {
      connection: this.workerConnection,
      prefix: this.prefix,
      concurrency: this.config.EXPORT_CONCURRENCY,
    });
    this.worker.on('error', (error) => this.logger.error({ err: error }, 'export worker error'));
  }

  private async run(job: Job<ExportJobData>): Promise<unknown> {
    if (job.name === FILE_EXPIRY_JOB) return { expired: await this.expiry.expire() };
    return this.processor.process(job);
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
