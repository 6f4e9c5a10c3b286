import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { IsolationLevel, MikroORM } from '@mikro-orm/postgresql';
import type { Job } from 'bullmq';
import exceljsPackage from 'exceljs/package.json';
import type { Logger } from 'pino';
import { findFormVersion, parsePeriod, previousMonthInYear, referencesFor } from '@huoju/domain';
import { CLOCK, LOGGER, Metrics, type Clock } from '@huoju/platform';
import { TORCH_EXPORT_CONFIG, type TorchExportConfig } from '../torch-export.config';
import { ExportJobRepository, type ExportJob } from './export-job.repository';
import { EXPORT_FILE_STORE, type ExportFileStore } from './file-store/export-file-store';
import { countUnattributed, openExportRows, toExportRow, type ExportRowsQuery } from './export-rows.query';
import {
  EMPTY_WORKBOOK_TIME,
  FORMAT_FILES,
  downloadName,
  writeExportFile,
  writeManifest,
  type ExportRow,
  type ExportSubject,
  type ManifestHeader,
} from '@huoju/torch-files';

export const EXPORT_QUEUE = 'torch-export';

export interface ExportJobData {
  readonly exportId: string;
}

export interface ExportProgress {
  readonly rowsWritten: number;
  readonly totalRows: number;
  readonly percent: number;
}

const PROGRESS_INTERVAL_MS = 500;

/** The store's key of an export's file. */
export function exportFileKey(job: Pick<ExportJob, 'id' | 'format'>): string {
  return `${job.id}.${FORMAT_FILES[job.format].extension}`;
}

/** The store's key of an export's manifest. */
export function manifestKey(id: string): string {
  return `${id}.manifest.json`;
}

/**
 * Runs one export job of the `torch-export` queue: in one read-only REPEATABLE READ snapshot it reads the
 * rows through a cursor (never all at once), streams them into the format's writer, then writes the
 * manifest into the instance's scratch directory, moves both into the file store (where every instance
 * reads them) and marks the job completed. A retry starts the file over; the cut-off (verdict sequence and
 * limit) was fixed when the job was created, so every attempt writes the same bytes.
 */
@Injectable()
export class ExportProcessor {
  static readonly queue = EXPORT_QUEUE;

  constructor(
    private readonly orm: MikroORM,
    private readonly jobs: ExportJobRepository,
    @Inject(EXPORT_FILE_STORE) private readonly store: ExportFileStore,
    @Inject(TORCH_EXPORT_CONFIG) private readonly config: TorchExportConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  async process(bullJob: Job<ExportJobData>): Promise<void> {
    const { exportId } = bullJob.data;
    const job = await this.jobs.get(this.orm.em.fork(), exportId);
    if (!job) {
      this.logger.warn({ exportId }, 'export job has no row; dropped');
      return;
    }
    if (job.state === 'completed') return;
    await this.jobs.markRunning(this.orm.em.fork(), job.id, this.clock.now());
    const end = this.metrics.exportDuration.startTimer({ format: job.format });
    try {
      await this.run(job, (progress) => bullJob.updateProgress({ ...progress }));
      end({ outcome: 'ok' });
    } catch (error) {
      end({ outcome: 'failed' });
      const final = bullJob.attemptsMade + 1 >= (bullJob.opts.attempts ?? 1);
      await this.jobs.fail(this.orm.em.fork(), job.id, (error as Error).message, final, this.clock.now());
      this.logger.error({ err: error, exportId, attempt: bullJob.attemptsMade + 1, final }, 'export failed');
      throw error;
    }
  }

  /** Writes the file and its manifest for a job; also used directly by tests. */
  async run(
    job: ExportJob,
    report: (progress: ExportProgress) => Promise<void> = async () => undefined,
  ): Promise<void> {
    const form = findFormVersion(job.formId, job.formVersion);
    if (!form) throw new Error(`unknown form version ${job.formId} ${job.formVersion}`);
    const period = parsePeriod(job.period, form.periodType);
    const subject: ExportSubject = { form, period, park: job.park };
    const withPrevious = job.format === 'sdmx-csv' && form.periodType === 'month';
    const rosterDate = referencesFor(job.formId, job.period).rosterDate;
    const filename = join(this.config.EXPORT_DIR, exportFileKey(job));
    const manifestFilename = join(this.config.EXPORT_DIR, manifestKey(job.id));
    const fetchSize = this.config.EXPORT_FETCH_SIZE;
    const progressEm = this.orm.em.fork();

    const { result, unattributed, newest } = await this.orm.em.fork().transactional(
      async (tx) => {
        const current = await this.jobs.currentVerdictSequence(tx);
        if (BigInt(job.verdictSequence) > BigInt(current))
          throw new Error(`cut-off ${job.verdictSequence} is ahead of the verdicts held (${current})`);
        const roster = await this.jobs.currentRosterSequence(tx);
        if (BigInt(job.rosterSequence) > BigInt(roster))
          throw new Error(`roster cut-off ${job.rosterSequence} is ahead of the roster held (${roster})`);
        const query: ExportRowsQuery = {
          formId: job.formId,
          period: job.period,
          park: job.park,
          rosterDate,
          rosterSequence: job.rosterSequence,
          previousPeriod: withPrevious ? (previousMonthInYear(period)?.text ?? null) : null,
          cutoff: {
            verdictSequence: job.verdictSequence,
            validatedAtLimit: job.validatedAtLimit,
            live: job.verdictSequence === current && job.validatedAtLimit === null,
          },
        };
        const unattributedCount = await countUnattributed(tx, query);
        const cursor = await openExportRows(tx, query, fetchSize);
        const fetch = () => cursor.next();
        const first = await fetch();
        const total = Number(first[0]?.total ?? 0);
        const newestValidatedAt = first[0]?.newest_validated_at ?? null;
        async function* batches(): AsyncGenerator<ExportRow[]> {
          for (let rows = first; rows.length > 0; rows = rows.length < fetchSize ? [] : await fetch()) {
            yield rows.map((record) => toExportRow(record, withPrevious));
          }
        }
        let reportedAt = 0;
        const onProgress = async (rowsWritten: number) => {
          const now = Date.now();
          if (now - reportedAt < PROGRESS_INTERVAL_MS && rowsWritten < total) return;
          reportedAt = now;
          const progress = {
            rowsWritten,
            totalRows: total,
            percent: total === 0 ? 100 : Math.floor((rowsWritten * 100) / total),
          };
          await this.jobs.progress(progressEm, job.id, progress.rowsWritten, progress.totalRows, progress.percent);
          await report(progress);
        };
        const written = await writeExportFile({
          format: job.format,
          subject,
          filename,
          time: newestValidatedAt ? new Date(newestValidatedAt) : EMPTY_WORKBOOK_TIME,
          batches: batches(),
          onProgress,
        });
        await cursor.close();
        return { result: written, unattributed: unattributedCount, newest: newestValidatedAt };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );

    try {
      if (result.cutoff.newestValidatedAt !== newest)
        throw new Error('the cut-off time changed while reading one snapshot');
      const file = {
        name: downloadName(job.format, { formId: job.formId, period: job.period, park: job.park }),
        contentType: FORMAT_FILES[job.format].contentType,
      };
      const header: ManifestHeader = {
        manifestVersion: 1,
        exportId: job.id,
        formId: job.formId,
        formVersion: job.formVersion,
        period: job.period,
        park: job.park,
        format: job.format,
        file: { ...file, bytes: result.bytes, sha256: result.sha256 },
        rows: result.counts,
        cutoff: {
          requested: {
            kind: job.cutoffKind,
            ...(job.cutoffExportId ? { exportId: job.cutoffExportId } : {}),
            ...(job.cutoffKind === 'validated-at' && job.validatedAtLimit ? { validatedAt: job.validatedAtLimit } : {}),
          },
          verdictSequence: job.verdictSequence,
          validatedAtLimit: job.validatedAtLimit,
          filings: result.cutoff.filings,
          includedSha256: result.cutoff.includedSha256,
          includedDigestOf: 'sha-256 of "filingId:revision:verdict\\n" per included filing, in USCC order',
          newestValidatedAt: result.cutoff.newestValidatedAt,
          unattributedFilings: unattributed,
        },
        roster: {
          date: rosterDate,
          sequence: job.rosterSequence,
          enterprises: result.cutoff.filings,
          sha256: result.cutoff.rosterSha256,
          digestOf: 'sha-256 of "uscc:registryVersion\\n" per exported enterprise, in USCC order',
        },
        trigger: { kind: job.trigger, requestedBy: job.requestedBy, ...(job.triggerDetail ?? {}) },
        generator: generatorVersions(),
      };
      await writeManifest(manifestFilename, header, result.provenance);
      const stored = await this.store.put(exportFileKey(job), createReadStream(filename));
      if (stored.sha256 !== result.sha256 || stored.bytes !== result.bytes)
        throw new Error(`the stored file differs from the one written (${stored.sha256}, ${stored.bytes} bytes)`);
      await this.store.put(manifestKey(job.id), createReadStream(manifestFilename));
      await this.jobs.complete(this.orm.em.fork(), job.id, {
        fileName: file.name,
        contentType: file.contentType,
        byteSize: result.bytes,
        sha256: result.sha256,
        manifest: header as unknown as Record<string, unknown>,
        rowsWritten: result.cutoff.filings,
        now: this.clock.now(),
      });
      await report({ rowsWritten: result.cutoff.filings, totalRows: result.cutoff.filings, percent: 100 });
      this.logger.info(
        { exportId: job.id, format: job.format, rows: result.counts, bytes: result.bytes, sha256: result.sha256 },
        'export written',
      );
    } finally {
      await result.provenance.dispose();
      await rm(filename, { force: true });
      await rm(manifestFilename, { force: true });
    }
  }
}

/** Versions that shape the bytes: a difference between two files of the same cut-off is explained here. */
function generatorVersions(): Record<string, string> {
  return {
    service: 'torch-export',
    exceljs: exceljsPackage.version,
    node: process.versions.node,
    zlib: process.versions.zlib ?? 'unknown',
  };
}
