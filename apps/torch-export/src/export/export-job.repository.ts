import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExportFormat } from '../torch-export.config';

export type ExportState = 'queued' | 'running' | 'completed' | 'failed';
export type CutoffKind = 'live' | 'export' | 'validated-at';

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

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', ${ISO})`;

const COLUMNS = `id, form_id, form_version, period, park_code, format, state, requested_by, trigger, trigger_detail, cutoff_kind, cutoff_export_id,
  verdict_sequence::text AS verdict_sequence, ${iso('validated_at_limit')} AS validated_at_limit, rows_written, total_rows, percent, attempts,
  file_name, content_type, byte_size::text AS byte_size, sha256, manifest, error,
  ${iso('created_at')} AS created_at, ${iso('started_at')} AS started_at, ${iso('finished_at')} AS finished_at, ${iso('file_expired_at')} AS file_expired_at`;

interface JobRecord {
  id: string;
  form_id: string;
  form_version: string;
  period: string;
  park_code: string;
  format: ExportFormat;
  state: ExportState;
  requested_by: string;
  trigger: 'request' | 'rolledup';
  trigger_detail: Record<string, unknown> | null;
  cutoff_kind: CutoffKind;
  cutoff_export_id: string | null;
  verdict_sequence: string;
  validated_at_limit: string | null;
  rows_written: number;
  total_rows: number | null;
  percent: number;
  attempts: number;
  file_name: string | null;
  content_type: string | null;
  byte_size: string | null;
  sha256: string | null;
  manifest: Record<string, unknown> | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  file_expired_at: string | null;
}

function toJob(record: JobRecord): ExportJob {
  return {
    id: record.id,
    formId: record.form_id,
    formVersion: record.form_version,
    period: record.period,
    park: record.park_code,
    format: record.format,
    state: record.state,
    requestedBy: record.requested_by,
    trigger: record.trigger,
    triggerDetail: record.trigger_detail,
    cutoffKind: record.cutoff_kind,
    cutoffExportId: record.cutoff_export_id,
    verdictSequence: record.verdict_sequence,
    validatedAtLimit: record.validated_at_limit,
    rowsWritten: record.rows_written,
    totalRows: record.total_rows,
    percent: record.percent,
    attempts: record.attempts,
    fileName: record.file_name,
    contentType: record.content_type,
    byteSize: record.byte_size === null ? null : Number(record.byte_size),
    sha256: record.sha256,
    manifest: record.manifest,
    error: record.error,
    createdAt: record.created_at,
    startedAt: record.started_at,
    finishedAt: record.finished_at,
    fileExpiredAt: record.file_expired_at,
  };
}

/** SQL for export jobs. A job row is the source of truth for state; the BullMQ job only carries its id. */
@Injectable()
export class ExportJobRepository {
  /** The newest verdict seq: a new export's cut-off unless it names an earlier one. */
  async currentVerdictSequence(em: EntityManager): Promise<string> {
    const [row] = await em.execute<{ seq: string }[]>(`SELECT coalesce(max(seq), 0)::text AS seq FROM filing_verdict`);
    return row!.seq;
  }

  /** Inserts the job; with a trigger key, a second insert for the same trigger returns the first job instead. */
  async insert(em: EntityManager, job: NewExportJob): Promise<{ job: ExportJob; created: boolean }> {
    const inserted = await em.execute<{ id: string }[]>(
      `INSERT INTO export_job (id, form_id, form_version, period, park_code, format, state, requested_by, trigger, trigger_key, trigger_detail,
                               cutoff_kind, cutoff_export_id, verdict_sequence, validated_at_limit, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?::jsonb, ?, ?, ?, ?::timestamptz, ?)
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
        job.validatedAtLimit,
        job.createdAt,
      ],
    );
    if (inserted.length === 1) return { job: (await this.get(em, job.id))!, created: true };
    const [existing] = await em.execute<JobRecord[]>(`SELECT ${COLUMNS} FROM export_job WHERE trigger_key = ?`, [
      job.triggerKey,
    ]);
    return { job: toJob(existing!), created: false };
  }

  async get(em: EntityManager, id: string): Promise<ExportJob | undefined> {
    const [record] = await em.execute<JobRecord[]>(`SELECT ${COLUMNS} FROM export_job WHERE id = ?`, [id]);
    return record ? toJob(record) : undefined;
  }

  async list(
    em: EntityManager,
    filter: { formId?: string; period?: string; parks?: readonly string[] },
    limit: number,
  ): Promise<ExportJob[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.formId) {
      conditions.push('form_id = ?');
      params.push(filter.formId);
    }
    if (filter.period) {
      conditions.push('period = ?');
      params.push(filter.period);
    }
    if (filter.parks) {
      conditions.push('park_code IN (SELECT jsonb_array_elements_text(?::jsonb))');
      params.push(JSON.stringify(filter.parks));
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const records = await em.execute<JobRecord[]>(
      `SELECT ${COLUMNS} FROM export_job ${where} ORDER BY created_at DESC, id LIMIT ?`,
      [...params, limit],
    );
    return records.map(toJob);
  }

  /** Jobs that should be in the queue: after a restart, or when the enqueue after the insert failed. */
  async unfinishedIds(em: EntityManager, triggerKeys?: readonly string[]): Promise<string[]> {
    const rows = triggerKeys
      ? await em.execute<{ id: string }[]>(
          `SELECT id FROM export_job WHERE state IN ('queued', 'running') AND trigger_key IN (SELECT jsonb_array_elements_text(?::jsonb)) ORDER BY created_at`,
          [JSON.stringify(triggerKeys)],
        )
      : await em.execute<{ id: string }[]>(
          `SELECT id FROM export_job WHERE state IN ('queued', 'running') ORDER BY created_at`,
        );
    return rows.map((row) => row.id);
  }

  async markRunning(em: EntityManager, id: string, now: Date): Promise<void> {
    await em.execute(
      `UPDATE export_job SET state = 'running', attempts = attempts + 1, started_at = ?, error = NULL, rows_written = 0, percent = 0 WHERE id = ?`,
      [now, id],
    );
  }

  async progress(
    em: EntityManager,
    id: string,
    rowsWritten: number,
    totalRows: number,
    percent: number,
  ): Promise<void> {
    await em.execute(
      `UPDATE export_job SET rows_written = ?, total_rows = ?, percent = ? WHERE id = ? AND state = 'running'`,
      [rowsWritten, totalRows, percent, id],
    );
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
    await em.execute(
      `UPDATE export_job SET state = 'completed', file_name = ?, content_type = ?, byte_size = ?, sha256 = ?, manifest = ?::jsonb,
              rows_written = ?, total_rows = ?, percent = 100, error = NULL, finished_at = ?
        WHERE id = ?`,
      [
        result.fileName,
        result.contentType,
        result.byteSize,
        result.sha256,
        JSON.stringify(result.manifest),
        result.rowsWritten,
        result.rowsWritten,
        result.now,
        id,
      ],
    );
  }

  async fail(em: EntityManager, id: string, error: string, final: boolean, now: Date): Promise<void> {
    await em.execute(
      `UPDATE export_job SET state = ?, error = ?, finished_at = ? WHERE id = ? AND state <> 'completed'`,
      [final ? 'failed' : 'queued', error.slice(0, 2000), final ? now : null, id],
    );
  }

  /** Completed exports whose files are older than `finishedBefore` and not yet expired, oldest first. */
  async expiring(em: EntityManager, finishedBefore: Date, limit: number): Promise<Pick<ExportJob, 'id' | 'format'>[]> {
    return em.execute<Pick<ExportJob, 'id' | 'format'>[]>(
      `SELECT id, format FROM export_job
        WHERE state = 'completed' AND file_expired_at IS NULL AND finished_at < ?
        ORDER BY finished_at, id LIMIT ?`,
      [finishedBefore, limit],
    );
  }

  async markFileExpired(em: EntityManager, id: string, now: Date): Promise<void> {
    await em.execute(`UPDATE export_job SET file_expired_at = ? WHERE id = ? AND file_expired_at IS NULL`, [now, id]);
  }
}
