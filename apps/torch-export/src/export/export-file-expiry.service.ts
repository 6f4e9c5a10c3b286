import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { CLOCK, LOGGER, type Clock } from '@huoju/platform';
import { TORCH_EXPORT_CONFIG, type TorchExportConfig } from '../torch-export.config';
import { ExportJobRepository } from './export-job.repository';
import { exportFileKey, manifestKey } from './export.processor';
import { EXPORT_FILE_STORE, type ExportFileStore } from './file-store/export-file-store';

const BATCH = 200;

/**
 * Deletes the file and manifest of exports completed longer than EXPORT_FILE_MAX_AGE_HOURS ago, then marks
 * the row: the download answers 410 EXPORT.EXPIRED from then on, while the row (and its cut-off) stays.
 * The files go first, so a crash in between only leaves a row the next run deletes (again) and marks.
 */
@Injectable()
export class ExportFileExpiry {
  constructor(
    private readonly orm: MikroORM,
    private readonly jobs: ExportJobRepository,
    @Inject(EXPORT_FILE_STORE) private readonly store: ExportFileStore,
    @Inject(TORCH_EXPORT_CONFIG) private readonly config: TorchExportConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async expire(): Promise<number> {
    const now = this.clock.now();
    const finishedBefore = new Date(now.getTime() - this.config.EXPORT_FILE_MAX_AGE_HOURS * 3_600_000);
    let expired = 0;
    for (;;) {
      const due = await this.jobs.expiring(this.orm.em.fork(), finishedBefore, BATCH);
      for (const job of due) {
        await this.store.delete([exportFileKey(job), manifestKey(job.id)]);
        await this.jobs.markFileExpired(this.orm.em.fork(), job.id, now);
      }
      expired += due.length;
      if (due.length < BATCH) break;
    }
    if (expired > 0) this.logger.info({ expired, finishedBefore }, 'export files expired');
    return expired;
  }
}
