import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import {
  CLOCK,
  ProblemException,
  assertInScope,
  isInScope,
  notFound,
  queryScope,
  scopeCodes,
  validationProblem,
  type Clock,
  type Principal,
  type RequestQuota,
} from '@huoju/platform';
import type { ExportFormat } from '../torch-export.config';
import { ExportJobRepository, type CutoffKind, type ExportJob } from './export-job.repository';
import { checkExportRequest } from './export-request';
import { ExportQueue } from './export.queue';
import { EXPORT_QUOTA } from './export-quota';
import { exportFileKey, manifestKey } from './export.processor';
import { EXPORT_FILE_STORE, type ExportFileStore } from './file-store/export-file-store';

export interface ExportView {
  readonly id: string;
  readonly formId: string;
  readonly formVersion: string;
  readonly period: string;
  readonly park: string;
  readonly format: ExportFormat;
  readonly state: ExportJob['state'];
  readonly progress: { readonly rowsWritten: number; readonly totalRows: number | null; readonly percent: number };
  readonly cutoff: {
    readonly kind: CutoffKind;
    readonly exportId?: string;
    readonly verdictSequence: string;
    readonly validatedAtLimit: string | null;
  };
  readonly trigger: string;
  readonly requestedBy: string;
  readonly attempts: number;
  /** Coded and coarse: the cause of a failure is in the service log and export_job.error, never shown. */
  readonly error: { readonly code: string; readonly messageZh: string; readonly messageEn: string } | null;
  readonly file: {
    readonly name: string;
    readonly contentType: string;
    readonly bytes: number;
    readonly sha256: string;
  } | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly links: { readonly self: string; readonly file: string; readonly manifest: string };
}

export interface ScheduledExport {
  readonly formId: string;
  readonly formVersion: string;
  readonly period: string;
  readonly park: string;
  readonly format: ExportFormat;
  readonly requestedBy: string;
  readonly trigger: 'request' | 'rolledup';
  readonly triggerKey?: string;
  readonly triggerDetail?: Record<string, unknown>;
  readonly cutoff: {
    readonly kind: CutoffKind;
    readonly exportId?: string;
    readonly verdictSequence?: string;
    readonly rosterSequence?: string;
    readonly validatedAtLimit?: string | null;
  };
}

export interface ReadyFile {
  readonly content: Readable;
  readonly name: string;
  readonly contentType: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Export jobs as the HTTP API and the automatic exports use them: create, read, download. */
@Injectable()
export class ExportsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly jobs: ExportJobRepository,
    private readonly queue: ExportQueue,
    @Inject(EXPORT_FILE_STORE) private readonly store: ExportFileStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EXPORT_QUOTA) private readonly quota: RequestQuota,
  ) {}

  async request(body: unknown, principal: Principal): Promise<ExportView> {
    const { errors, request } = checkExportRequest(body);
    if (errors.length > 0 || !request) throw validationProblem(errors);
    assertInScope(principal, 'park', request.park);
    let cutoff: ScheduledExport['cutoff'] = { kind: 'live' };
    if (request.cutoff?.kind === 'export') {
      const earlier = await this.jobs.get(this.orm.em.fork(), request.cutoff.exportId);
      if (!earlier || earlier.state !== 'completed' || !isInScope(principal, 'park', earlier.park)) {
        throw validationProblem([
          {
            pointer: '/cutoff',
            code: 'EXPORT.CUTOFF_UNKNOWN',
            messageZh: '没有可用作截止点的已完成导出',
            messageEn: 'No completed export you may read has this id',
          },
        ]);
      }
      cutoff = {
        kind: 'export',
        exportId: earlier.id,
        verdictSequence: earlier.verdictSequence,
        rosterSequence: earlier.rosterSequence,
        validatedAtLimit: earlier.validatedAtLimit,
      };
    } else if (request.cutoff?.kind === 'validated-at') {
      cutoff = { kind: 'validated-at', validatedAtLimit: request.cutoff.at };
    }
    await this.quota.consume(principal);
    const job = await this.schedule({
      formId: request.form.formId,
      formVersion: request.form.version,
      period: request.period,
      park: request.park,
      format: request.format,
      requestedBy: principal.subject,
      trigger: 'request',
      cutoff,
    });
    return toView(job);
  }

  /**
   * Creates the job row (one per trigger key) and queues it. The verdict and roster cut-off are fixed here, once. The row
   * is the truth: when Redis does not take the job, ExportReconciler queues it later.
   */
  async schedule(spec: ScheduledExport): Promise<ExportJob> {
    const job = await this.insert(this.orm.em.fork(), spec);
    await this.enqueue([job]);
    return job;
  }

  /** The job row alone, in the caller's transaction (an event's effect and its inbox claim commit together). */
  async insert(em: EntityManager, spec: ScheduledExport): Promise<ExportJob> {
    const verdictSequence = spec.cutoff.verdictSequence ?? (await this.jobs.currentVerdictSequence(em));
    const rosterSequence = spec.cutoff.rosterSequence ?? (await this.jobs.currentRosterSequence(em));
    const { job } = await this.jobs.insert(em, {
      id: randomUUID(),
      formId: spec.formId,
      formVersion: spec.formVersion,
      period: spec.period,
      park: spec.park,
      format: spec.format,
      requestedBy: spec.requestedBy,
      trigger: spec.trigger,
      triggerKey: spec.triggerKey ?? null,
      triggerDetail: spec.triggerDetail ?? null,
      cutoffKind: spec.cutoff.kind,
      cutoffExportId: spec.cutoff.exportId ?? null,
      verdictSequence,
      rosterSequence,
      validatedAtLimit: spec.cutoff.validatedAtLimit ?? null,
      createdAt: this.clock.now(),
    });
    return job;
  }

  /**
   * Queues jobs that are not finished; queueing one twice is harmless (the BullMQ job id is the export id).
   * Never throws: a job Redis did not take is queued by ExportReconciler.
   */
  async enqueue(jobs: readonly Pick<ExportJob, 'id' | 'state'>[]): Promise<void> {
    for (const job of jobs) {
      if (job.state === 'queued' || job.state === 'running') await this.queue.enqueueSoon(job.id);
    }
  }

  async view(id: string, principal: Principal): Promise<ExportView> {
    return toView(await this.readable(id, principal));
  }

  async list(
    query: { formId?: string; period?: string; park?: string },
    principal: Principal,
  ): Promise<{ exports: ExportView[] }> {
    const parks = scopeCodes(queryScope(principal, { park: query.park }), 'park');
    const jobs = await this.jobs.list(this.orm.em.fork(), { formId: query.formId, period: query.period, parks }, 100);
    return { exports: jobs.map(toView) };
  }

  async file(id: string, principal: Principal): Promise<ReadyFile> {
    const job = await this.readable(id, principal);
    if (job.state !== 'completed' || !job.fileName || !job.contentType || job.sha256 === null || job.byteSize === null)
      throw notReady(job);
    if (job.fileExpiredAt) throw expired(job);
    const content = await this.stored(exportFileKey(job), id);
    return { content, name: job.fileName, contentType: job.contentType, bytes: job.byteSize, sha256: job.sha256 };
  }

  async manifest(id: string, principal: Principal): Promise<Readable> {
    const job = await this.readable(id, principal);
    if (job.state !== 'completed') throw notReady(job);
    if (job.fileExpiredAt) throw expired(job);
    return this.stored(manifestKey(job.id), id);
  }

  private async stored(key: string, id: string): Promise<Readable> {
    const opened = await this.store.open(key);
    if (!opened) throw fileGone(id);
    return opened.content;
  }

  private async readable(id: string, principal: Principal): Promise<ExportJob> {
    const job = /^[0-9a-f-]{36}$/i.test(id) ? await this.jobs.get(this.orm.em.fork(), id.toLowerCase()) : undefined;
    if (!job) throw notFound('EXPORT.NOT_FOUND', `Export ${id}`);
    assertInScope(principal, 'park', job.park);
    return job;
  }
}

const EXPORT_FAILED = {
  code: 'EXPORT.FAILED',
  messageZh: '导出失败；如未用完重试次数将自动重试，原因已记入服务日志',
  messageEn: 'The export failed; it is retried while attempts remain, and the cause is in the service log',
} as const;

function toView(job: ExportJob): ExportView {
  const self = `/v1/exports/${job.id}`;
  return {
    id: job.id,
    formId: job.formId,
    formVersion: job.formVersion,
    period: job.period,
    park: job.park,
    format: job.format,
    state: job.state,
    progress: { rowsWritten: job.rowsWritten, totalRows: job.totalRows, percent: job.percent },
    cutoff: {
      kind: job.cutoffKind,
      ...(job.cutoffExportId ? { exportId: job.cutoffExportId } : {}),
      verdictSequence: job.verdictSequence,
      validatedAtLimit: job.validatedAtLimit,
    },
    trigger: job.trigger,
    requestedBy: job.requestedBy,
    attempts: job.attempts,
    error: job.error === null ? null : EXPORT_FAILED,
    file:
      job.state === 'completed' &&
      !job.fileExpiredAt &&
      job.fileName &&
      job.contentType &&
      job.byteSize !== null &&
      job.sha256
        ? { name: job.fileName, contentType: job.contentType, bytes: job.byteSize, sha256: job.sha256 }
        : null,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    links: { self, file: `${self}/file`, manifest: `${self}/manifest` },
  };
}

function notReady(job: ExportJob): ProblemException {
  return new ProblemException(
    409,
    'EXPORT.NOT_READY',
    'Export not ready',
    // The cause of a failure stays in the log and export_job.error; callers see only the state.
    job.state === 'failed' ? `Export ${job.id} failed; request it again.` : `Export ${job.id} is ${job.state}.`,
    [],
    job.state === 'failed' ? '导出失败，请重新发起导出' : '导出尚未完成',
    {
      state: job.state,
      percent: job.percent,
    },
  );
}

function expired(job: ExportJob): ProblemException {
  return new ProblemException(
    410,
    'EXPORT.EXPIRED',
    'Export expired',
    `The file of export ${job.id} expired at ${job.fileExpiredAt} and was deleted; export the same cut-off again.`,
    [],
    '导出文件已过保存期限并已删除，请按同一截止点重新导出',
    { expiredAt: job.fileExpiredAt },
  );
}

function fileGone(id: string): ProblemException {
  return new ProblemException(
    410,
    'EXPORT.FILE_GONE',
    'File gone',
    `The file of export ${id} is no longer stored; export the same cut-off again.`,
    [],
    '导出文件已不存在，请按同一截止点重新导出',
  );
}
