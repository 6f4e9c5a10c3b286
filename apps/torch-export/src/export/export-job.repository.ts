import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExportFormat } from '../torch-export.config';
import { ExportJobEntity, type CutoffKind, type ExportState } from './export-job.entity';

export type { CutoffKind, ExportState };

export interface NewExportJob {
  readonly id: string;
  readonly formId: string;
  readonly formVersion: string;
  readonly period: string;
  readonly park: string;
  readonly format: ExportFormat;
  readonly requestedBy: string;
  readonly trigger: 'request' | 'rolledup';
  readonly triggerKey: string | null;
  readonly triggerDetail: Record<string, unknown> | null;
  readonly cutoffKind: CutoffKind;
  readonly cutoffExportId: string | null;
  readonly verdictSequence: string;
  readonly rosterSequence: string;
  readonly validatedAtLimit: string | null;
  readonly createdAt: Date;
}

export interface ExportJob {
  readonly id: string;
  readonly formId: string;
  readonly formVersion: string;
  readonly period: string;
  readonly park: string;
  readonly format: ExportFormat;
  readonly state: ExportState;
  readonly requestedBy: string;
  readonly trigger: 'request' | 'rolledup';
  readonly triggerDetail: Record<string, unknown> | null;
  readonly cutoffKind: CutoffKind;
  readonly cutoffExportId: string | null;
  readonly verdictSequence: string;
  readonly rosterSequence: string;
  readonly validatedAtLimit: string | null;
  readonly rowsWritten: number;
  readonly totalRows: number | null;
  readonly percent: number;
  readonly attempts: number;
  readonly fileName: string | null;
  readonly contentType: string | null;
  readonly byteSize: number | null;
  readonly sha256: string | null;
  readonly manifest: Record<string, unknown> | null;
  readonly error: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** When the expiry deleted the file and manifest (the row stays: its cut-off can still be exported again). */
  readonly fileExpiredAt: string | null;
}

const iso = (at: Date | null | undefined) => (at ? at.toISOString() : null);

function toJob(entity: ExportJobEntity): ExportJob {
  return {
    id: entity.id,
    formId: entity.formId,
    formVersion: entity.formVersion,
    period: entity.period,
    park: entity.parkCode,
    format: entity.format,
    state: entity.state,
    requestedBy: entity.requestedBy,
    trigger: entity.trigger,
    triggerDetail: entity.triggerDetail ?? null,
    cutoffKind: entity.cutoffKind,
    cutoffExportId: entity.cutoffExportId ?? null,
    verdictSequence: entity.verdictSequence,
    rosterSequence: entity.rosterSequence,
    validatedAtLimit: iso(entity.validatedAtLimit),
    rowsWritten: entity.rowsWritten,
    totalRows: entity.totalRows ?? null,
    percent: entity.percent,
    attempts: entity.attempts,
    fileName: entity.fileName ?? null,
    contentType: entity.contentType ?? null,
    byteSize: entity.byteSize ?? null,
    sha256: entity.sha256 ?? null,
    manifest: entity.manifest ?? null,
    error: entity.error ?? null,
    createdAt: entity.createdAt.toISOString(),
    startedAt: iso(entity.startedAt),
    finishedAt: iso(entity.finishedAt),
    fileExpiredAt: iso(entity.fileExpiredAt),
  };
}

/**
 * Export jobs: the ExportJobEntity through the unit of work, each method on the EntityManager it is given. A
 * job row is the source of truth for state; the BullMQ job only carries its id.
 */
@Injectable()
export class ExportJobRepository {
  /** The newest verdict seq: a new export's cut-off unless it names an earlier one. */
  async currentVerdictSequence(em: EntityManager): Promise<string> {
    const [row] = await em.execute<{ seq: string }[]>(`SELECT coalesce(max(seq), 0)::text AS seq FROM filing_verdict`);
    return row!.seq;
  }

  /** The newest roster seq: a new export's roster cut-off unless it names an earlier export. */
  async currentRosterSequence(em: EntityManager): Promise<string> {
    const [row] = await em.execute<{ seq: string }[]>(
      `SELECT coalesce(max(seq), 0)::text AS seq FROM roster_enterprise_version`,
    );
    return row!.seq;
  }

  /**
   * Inserts the job; with a trigger key, a second insert for the same trigger returns the first job instead.
   * One INSERT … ON CONFLICT, so two consumers racing for the same trigger cannot both insert.
   */
  async insert(em: EntityManager, job: NewExportJob): Promise<{ job: ExportJob; created: boolean }> {
    const inserted = await em.execute<{ id: string }[]>(
      `INSERT INTO export_job (id, form_id, form_version, period, park_code, format, state, requested_by, trigger, trigger_key, trigger_detail,
                               cutoff_kind, cutoff_export_id, verdict_sequence, roster_sequence, validated_at_limit, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::timestamptz, ?)
       ON CONFLICT (trigger_key) DO NOTHING RETURNING id`,
      [
        job.id,
        job.formId,
        job.formVersion,
        job.period,
        job.park,
        job.format,
        job.requestedBy,
        job.trigger,
        job.triggerKey,
        job.triggerDetail === null ? null : JSON.stringify(job.triggerDetail),
        job.cutoffKind,
        job.cutoffExportId,
        job.verdictSequence,
        job.rosterSequence,
        job.validatedAtLimit,
        job.createdAt,
      ],
    );
    if (inserted.length === 1) return { job: (await this.get(em, job.id))!, created: true };
    const existing = await em.findOneOrFail(ExportJobEntity, { triggerKey: job.triggerKey });
    return { job: toJob(existing), created: false };
  }

  async get(em: EntityManager, id: string): Promise<ExportJob | undefined> {
    const entity = await em.findOne(ExportJobEntity, { id }, { refresh: true });
    return entity ? toJob(entity) : undefined;
  }

  async list(
    em: EntityManager,
    filter: { formId?: string; period?: string; parks?: readonly string[] },
    limit: number,
  ): Promise<ExportJob[]> {
    const entities = await em.find(
      ExportJobEntity,
      {
        ...(filter.formId ? { formId: filter.formId } : {}),
        ...(filter.period ? { period: filter.period } : {}),
        ...(filter.parks ? { parkCode: { $in: [...filter.parks] } } : {}),
      },
      { orderBy: { createdAt: 'desc', id: 'asc' }, limit },
    );
    return entities.map(toJob);
  }

  /** Jobs that should be in the queue: after a restart, or when the enqueue after the insert failed. */
  async unfinishedIds(em: EntityManager, triggerKeys?: readonly string[]): Promise<string[]> {
    const unfinished = await em.find(
      ExportJobEntity,
      { state: { $in: ['queued', 'running'] }, ...(triggerKeys ? { triggerKey: { $in: [...triggerKeys] } } : {}) },
      { orderBy: { createdAt: 'asc' }, fields: ['id'] },
    );
    return unfinished.map((job) => job.id);
  }

  /** A worker took the job: a new attempt starts from nothing written. */
  async markRunning(em: EntityManager, id: string, now: Date): Promise<void> {
    const job = await em.findOneOrFail(ExportJobEntity, { id }, { refresh: true });
    Object.assign(job, {
      state: 'running',
      attempts: job.attempts + 1,
      startedAt: now,
      error: null,
      rowsWritten: 0,
      percent: 0,
    });
    await em.flush();
  }

  /** Only while the job runs: a late progress report never reopens a finished job. One conditional UPDATE. */
  async progress(
    em: EntityManager,
    id: string,
    rowsWritten: number,
    totalRows: number,
    percent: number,
  ): Promise<void> {
    await em.nativeUpdate(ExportJobEntity, { id, state: 'running' }, { rowsWritten, totalRows, percent });
  }

  async complete(
    em: EntityManager,
    id: string,
    result: {
      fileName: string;
      contentType: string;
      byteSize: number;
      sha256: string;
      manifest: Record<string, unknown>;
      rowsWritten: number;
      now: Date;
    },
  ): Promise<void> {
    const job = await em.findOneOrFail(ExportJobEntity, { id }, { refresh: true });
    Object.assign(job, {
      state: 'completed',
      fileName: result.fileName,
      contentType: result.contentType,
      byteSize: result.byteSize,
      sha256: result.sha256,
      manifest: result.manifest,
      rowsWritten: result.rowsWritten,
      totalRows: result.rowsWritten,
      percent: 100,
      error: null,
      finishedAt: result.now,
    });
    await em.flush();
  }

  /** Back to the queue for another attempt, or failed for good; a completed job stays completed. */
  async fail(em: EntityManager, id: string, error: string, final: boolean, now: Date): Promise<void> {
    await em.nativeUpdate(
      ExportJobEntity,
      { id, state: { $ne: 'completed' } },
      { state: final ? 'failed' : 'queued', error: error.slice(0, 2000), finishedAt: final ? now : null },
    );
  }

  /** Completed exports whose files are older than `finishedBefore` and not yet expired, oldest first. */
  async expiring(em: EntityManager, finishedBefore: Date, limit: number): Promise<Pick<ExportJob, 'id' | 'format'>[]> {
    const due = await em.find(
      ExportJobEntity,
      { state: 'completed', fileExpiredAt: null, finishedAt: { $lt: finishedBefore } },
      { orderBy: { finishedAt: 'asc', id: 'asc' }, limit, fields: ['id', 'format'] },
    );
    return due.map((job) => ({ id: job.id, format: job.format }));
  }

  async markFileExpired(em: EntityManager, id: string, now: Date): Promise<void> {
    await em.nativeUpdate(ExportJobEntity, { id, fileExpiredAt: null }, { fileExpiredAt: now });
  }
}
