import { defineEntity, p } from '@mikro-orm/core';
import type { ExportFormat } from '../torch-export.config';

export type ExportState = 'queued' | 'running' | 'completed' | 'failed';
export type CutoffKind = 'live' | 'export' | 'validated-at';

/** One export job: its subject, its fixed verdict and roster cut-off, its progress and, once completed, its file. */
export const ExportJobSchema = defineEntity({
  name: 'ExportJobEntity',
  tableName: 'export_job',
  properties: {
    id: p.uuid().primary(),
    formId: p.string(),
    formVersion: p.string(),
    period: p.string(),
    parkCode: p.string(),
    format: p.string().$type<ExportFormat>(),
    state: p.string().$type<ExportState>(),
    requestedBy: p.string(),
    trigger: p.string().$type<'request' | 'rolledup'>(),
    triggerKey: p.string().nullable(),
    triggerDetail: p.json<Record<string, unknown>>().nullable(),
    cutoffKind: p.string().$type<CutoffKind>(),
    cutoffExportId: p.uuid().nullable(),
    verdictSequence: p.bigint('string'),
    rosterSequence: p.bigint('string'),
    validatedAtLimit: p.datetime().nullable(),
    rowsWritten: p.integer(),
    totalRows: p.integer().nullable(),
    percent: p.integer(),
    attempts: p.integer(),
    fileName: p.string().nullable(),
    contentType: p.string().nullable(),
    byteSize: p.bigint('number').nullable(),
    sha256: p.string().nullable(),
    manifest: p.json<Record<string, unknown>>().nullable(),
    error: p.string().nullable(),
    createdAt: p.datetime(),
    startedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
    /** When the expiry deleted the file and manifest (the row stays: its cut-off can still be exported again). */
    fileExpiredAt: p.datetime().nullable(),
  },
});

export class ExportJobEntity extends ExportJobSchema.class {}
ExportJobSchema.setClass(ExportJobEntity);
