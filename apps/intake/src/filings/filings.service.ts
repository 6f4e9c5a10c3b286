import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import {
  engineFor,
  findFormVersion,
  parsePeriod,
  scheduleFor,
  shanghaiMonth,
  type EvaluationResult,
  type Explanation,
  type FormVersion,
} from '@huoju/domain';
import { Outbox } from '@huoju/messaging';
import {
  CLOCK,
  ProblemException,
  assertQueryInScope,
  currentCorrelationId,
  forbidden,
  scopeFilter,
  validationProblem,
  type Clock,
  type FieldError,
  type Principal,
} from '@huoju/platform';
import { checkExplanations, checkFilingBody, contentHash, type FilingSubmission } from './filing-input';
import { FilingContextBuilder } from './filing-context';
import { moveStatus, nextStatus } from './filing-status';
import type { Filing, FilingRevision } from './filing.entity';
import { FilingRepository, iso } from './filing.repository';
import { IdempotencyRepository } from './idempotency.repository';
import { INTAKE_CONFIG, type IntakeConfig } from '../intake.config';
import { receiptTime } from './demo-receipt-time';

export interface Receipt {
  readonly filingId: string;
  readonly uscc: string;
  readonly formId: string;
  readonly period: string;
  readonly revision: number;
  readonly attempt: number;
  readonly status: string;
  readonly contentSha256: string;
  readonly idempotencyKey: string | null;
  readonly formVersion: string;
  readonly ruleSetVersion: string;
  readonly receivedAt: string;
  readonly serverTime: string;
  readonly links: { readonly filing: string; readonly revision: string };
}

/**
 * The filing use cases. Only the enterprise itself creates or changes its figures: a submission is a new
 * revision that supersedes the previous one, explanations re-submit the same revision, and reviewers can
 * only return a filing with a comment.
 */
@Injectable()
export class FilingsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly filings: FilingRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly contexts: FilingContextBuilder,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  async submit(
    body: unknown,
    principal: Principal,
    idempotencyKey: string | undefined,
    demoReceivedAt?: string,
  ): Promise<{ receipt: Receipt; replayed: boolean }> {
    const uscc = this.filerOf(principal, body);
    const submission = await this.checkSubmission(body, uscc);
    const hash = contentHash(uscc, submission);
    const requestHash = createHash('sha256').update(`${uscc}\n${hash}`).digest('hex');
    return this.orm.em.fork().transactional(async (em) => {
      if (idempotencyKey) {
        // Serialises retries with the same key: the second waits here, then finds the first one's record.
        const record = await this.idempotency.lockAndFind(em, principal.subject, idempotencyKey);
        if (record) {
          if (record.request_sha256 !== requestHash) {
            throw new ProblemException(
              409,
              'IDEMPOTENCY.KEY_REUSED',
              'Idempotency key reused',
              'This Idempotency-Key was already used with a different body.',
              [],
              '该幂等键已用于内容不同的请求',
            );
          }
          return { receipt: await this.receiptOf(em, record.filing_id, record.revision), replayed: true };
        }
      }
      const receivedAt = receiptTime(this.clock.now(), demoReceivedAt, this.config.DEMO_BACKDATING);
      const { id, revision } = await this.filings.addRevision(
        em,
        { id: randomUUID(), uscc, formId: submission.formId, period: submission.period },
        {
          attempt: 1,
          formVersion: submission.form.version,
          ruleSetVersion: submission.form.ruleSetVersion,
          values: submission.values,
          explanations: submission.explanations,
          contentSha256: hash,
          idempotencyKey: idempotencyKey ?? null,
          submittedBy: principal.subject,
          receivedAt,
        },
      );
      if (idempotencyKey) {
        await this.idempotency.record(em, {
          principal: principal.subject,
          key: idempotencyKey,
          requestSha256: requestHash,
          filingId: id,
          revision,
        });
      }
      await this.publishSubmitted(em, { id, uscc, revision, attempt: 1, submission, hash, receivedAt });
      // Everything the receipt says was just written: no need to read it back.
      const receipt = receiptFrom(
        { id, uscc, formId: submission.formId, period: submission.period },
        {
          revision,
          attempt: 1,
          status: 'received',
          contentSha256: hash,
          idempotencyKey: idempotencyKey ?? null,
          formVersion: submission.form.version,
          ruleSetVersion: submission.form.ruleSetVersion,
          receivedAt,
        },
        this.clock.now(),
      );
      return { receipt, replayed: false };
    });
  }

  /**
   * Answers the warnings of a revision that needs explanation: the same figures with the merged explanations
   * go back to validation as the revision's next attempt (one unit of work, with the event in the outbox).
   */
  async explain(filingId: string, body: unknown, principal: Principal): Promise<Receipt> {
    return this.orm.em.fork().transactional(async (em) => {
      const filing = await this.filings.filing(em, filingId, true);
      if (!filing) throw filingNotFound(filingId);
      if (principal.role !== 'enterprise' || !principal.scope.includes(filing.uscc))
        throw forbidden('Only the enterprise itself may explain its figures.');
      const revision = (await this.filings.revision(em, filingId, filing.currentRevision))!;
      if (nextStatus(revision.status, { kind: 'explained' }) === null) {
        throw new ProblemException(
          409,
          'FILING.NOT_AWAITING_EXPLANATION',
          'Nothing to explain',
          `Revision ${revision.revision} is ${revision.status}; only a filing that needs explanation can be explained.`,
          [],
          '当前版本无需说明',
        );
      }
      const form = findFormVersion(filing.formId, revision.formVersion)!;
      const errors: FieldError[] = [];
      const explanations = checkExplanations((body as { explanations?: unknown })?.explanations, form, errors);
      const warnings = new Set(revision.findings.filter((f) => f.severity === 'warning').map((f) => f.ruleCode));
      explanations.forEach((explanation, index) => {
        if (!warnings.has(explanation.ruleCode)) {
          errors.push({
            pointer: `/explanations/${index}/ruleCode`,
            code: 'EXPLANATION.NO_SUCH_WARNING',
            messageZh: `本版本没有 ${explanation.ruleCode} 警告`,
            messageEn: `This revision has no ${explanation.ruleCode} warning`,
          });
        }
      });
      if (explanations.length === 0 && errors.length === 0) {
        errors.push({
          pointer: '/explanations',
          code: 'EXPLANATION.NONE',
          messageZh: '请至少说明一条警告',
          messageEn: 'Explain at least one warning',
        });
      }
      if (errors.length > 0) throw validationProblem(errors);
      const merged = mergeExplanations(revision.explanations, explanations);
      const attempt = revision.attempt + 1;
      const hash = contentHash(filing.uscc, {
        formId: form.formId,
        form,
        period: filing.period,
        values: revision.values,
        explanations: merged,
      });
      moveStatus(filing, revision, { kind: 'explained' });
      Object.assign(revision, { explanations: merged, attempt, contentSha256: hash });
      await this.publishSubmitted(em, {
        id: filingId,
        uscc: filing.uscc,
        revision: revision.revision,
        attempt,
        submission: { formId: form.formId, form, period: filing.period, values: revision.values, explanations: merged },
        hash,
        receivedAt: revision.receivedAt,
      });
      return receiptFrom(filing, revision, this.clock.now());
    });
  }

  /** A reviewer sends the filing back with a comment; the figures stay exactly as the enterprise filed them. */
  async returnFiling(filingId: string, body: unknown, principal: Principal): Promise<FilingView> {
    const comment =
      typeof (body as { comment?: unknown })?.comment === 'string' ? (body as { comment: string }).comment.trim() : '';
    if (comment.length < 4) {
      throw validationProblem([
        {
          pointer: '/comment',
          code: 'RETURN.COMMENT',
          messageZh: '退回须附具体意见',
          messageEn: 'A return needs a specific comment',
        },
      ]);
    }
    const em = this.orm.em.fork();
    await em.transactional(async (tx) => {
      const filing = await this.filings.filing(tx, filingId, true);
      if (!filing) throw filingNotFound(filingId);
      if (principal.role === 'enterprise' || !(await this.mayRead(tx, principal, filing)))
        throw forbidden('Street, park and commission reviewers in scope may return a filing.');
      const revision = (await this.filings.revision(tx, filingId, filing.currentRevision))!;
      moveStatus(filing, revision, { kind: 'returned' });
      Object.assign(revision, {
        returnedComment: comment,
        returnedBy: principal.subject,
        returnedAt: this.clock.now(),
      });
    });
    return this.view(filingId, principal);
  }

  /** The period a request body names, for the scope check before its validation; this month when it names none. */
  private periodNamed(body: unknown): string {
    const period = (body as { period?: unknown } | null)?.period;
    return typeof period === 'string' && /^\d{4}(-(0[1-9]|1[0-2]))?$/.test(period)
      ? period
      : shanghaiMonth(this.clock.now()).text;
  }

  /** The dry run: the same checks and the same engine as the Kafka path, nothing stored. */
  async dryRun(body: unknown, principal: Principal): Promise<EvaluationResult & { contentSha256: string }> {
    const uscc = this.filerOf(principal, body, true);
    if (
      principal.role !== 'enterprise' &&
      !(await this.mayRead(this.orm.em.fork(), principal, { uscc, period: this.periodNamed(body) }))
    ) {
      throw forbidden('This enterprise is outside your scope.');
    }
    const submission = await this.checkSubmission(body, uscc);
    const context = await this.contexts.build(this.orm.em.fork(), uscc, submission.formId, submission.period);
    const result = engineFor(submission.form).evaluate(
      { period: submission.period, values: submission.values, explanations: submission.explanations },
      context,
    );
    return { ...result, contentSha256: contentHash(uscc, submission) };
  }

  /** One filing with all its revisions, read in one unit of work. */
  async view(filingId: string, principal: Principal): Promise<FilingView> {
    const em = this.orm.em.fork();
    const filing = await this.filings.filing(em, filingId);
    if (!filing) throw filingNotFound(filingId);
    if (!(await this.mayRead(em, principal, filing))) throw forbidden('This filing is outside your scope.');
    const revisions = await this.filings.revisions(em, filingId);
    const current = revisions.find((r) => r.revision === filing.currentRevision)!;
    const form = findFormVersion(filing.formId, current.formVersion)!;
    const schedule = scheduleFor(form, parsePeriod(filing.period, form.periodType));
    return {
      id: filing.id,
      uscc: filing.uscc,
      formId: filing.formId,
      period: filing.period,
      status: filing.status,
      currentRevision: filing.currentRevision,
      deadlines: { dueOn: schedule.dueOn, graceEndsOn: schedule.graceEndsOn, locksOn: schedule.locksOn },
      current: revisionView(current),
      revisions: revisions.map((r) => ({
        revision: r.revision,
        status: r.status,
        outcome: r.outcome ?? null,
        receivedAt: iso(r.receivedAt),
        contentSha256: r.contentSha256,
      })),
    };
  }

  async revisionView(filingId: string, revision: number, principal: Principal) {
    const em = this.orm.em.fork();
    const filing = await this.filings.filing(em, filingId);
    if (!filing) throw filingNotFound(filingId);
    if (!(await this.mayRead(em, principal, filing))) throw forbidden('This filing is outside your scope.');
    const row = await this.filings.revision(em, filingId, revision);
    if (!row)
      throw new ProblemException(
        404,
        'FILING.REVISION_NOT_FOUND',
        'Not found',
        `Filing ${filingId} has no revision ${revision}.`,
      );
    return { filingId, uscc: filing.uscc, formId: filing.formId, period: filing.period, ...revisionView(row) };
  }

  async list(
    query: { formId?: string; period?: string; status?: string; uscc?: string; page?: number; pageSize?: number },
    principal: Principal,
  ) {
    const scope = scopeFilter(principal);
    if (typeof query.uscc === 'string') {
      assertQueryInScope(principal, { uscc: query.uscc });
      // A park or street team asking for an enterprise that was never theirs is told so (403), not given an empty page.
      if (scope.kind === 'park' || scope.kind === 'street') {
        if (!(await this.filings.everInScope(this.orm.em.fork(), scope.kind, scope.codes, query.uscc)))
          throw forbidden('This enterprise is outside your scope.');
      }
    }
    // The contract bounds both (page ≤ 100,000, pageSize ≤ 500).
    const pageSize = query.pageSize ?? 50;
    const page = query.page ?? 1;
    const { total, rows } = await this.filings.page(this.orm.em.fork(), scope, query, page, pageSize);
    return {
      page,
      pageSize,
      total,
      items: rows.map((row) => ({
        id: row.id,
        uscc: row.uscc,
        formId: row.form_id,
        period: row.period,
        status: row.status,
        currentRevision: row.current_revision,
        updatedAt: iso(row.updated_at),
      })),
    };
  }

  private filerOf(principal: Principal, body: unknown, allowReviewers = false): string {
    const claimed =
      typeof (body as { uscc?: unknown })?.uscc === 'string' ? (body as { uscc: string }).uscc : undefined;
    if (principal.role === 'enterprise') {
      const uscc = claimed ?? principal.scope[0];
      if (!uscc || !principal.scope.includes(uscc)) throw forbidden('An enterprise files only its own figures.');
      return uscc;
    }
    // Reviewers may dry-run a filing for an enterprise they look after, but never submit one.
    if (allowReviewers && claimed && principal.role !== 'admin') return claimed;
    throw forbidden('Only the enterprise itself may file its figures.');
  }

  /**
   * Structure, period window and roster checks; every problem is reported at once as 422. The dry run
   * answers exactly what the submission would, the filing window included.
   */
  private async checkSubmission(body: unknown, uscc: string): Promise<FilingSubmission> {
    const { errors, submission } = checkFilingBody(body);
    if (submission) {
      const now = this.clock.now();
      const schedule = scheduleFor(submission.form, parsePeriod(submission.period, submission.form.periodType));
      if (now < new Date(`${schedule.opensOn}T00:00:00+08:00`)) {
        errors.push({
          pointer: '/period',
          code: 'FILING.PERIOD_NOT_OPEN',
          messageZh: `${submission.period} 的填报自 ${schedule.opensOn} 开始`,
          messageEn: `Filing for ${submission.period} opens on ${schedule.opensOn}`,
        });
      }
      if (now >= schedule.locksAt) {
        errors.push({
          pointer: '/period',
          code: 'FILING.PERIOD_LOCKED',
          messageZh: `${submission.period} 已于 ${schedule.locksOn} 锁定，不能再报送或修改`,
          messageEn: `${submission.period} was locked on ${schedule.locksOn}; it can no longer be filed or amended`,
        });
      }
      const enterprise = await this.filings.enterpriseOn(this.orm.em.fork(), uscc, submission.formId, schedule.opensOn);
      if (!enterprise) {
        errors.push({
          pointer: '',
          code: 'FILING.ENTERPRISE_UNKNOWN',
          messageZh: `企业 ${uscc} 不在园区企业名录中`,
          messageEn: `Enterprise ${uscc} is not in the roster`,
        });
      } else if (!enterprise.in_scope) {
        errors.push({
          pointer: '/formId',
          code: 'FILING.OUT_OF_SCOPE',
          messageZh: `该企业在 ${submission.period} 不属于本报表的调查范围`,
          messageEn: `The enterprise is not in the survey scope of ${submission.formId} for ${submission.period}`,
        });
      }
    }
    if (errors.length > 0 || !submission) throw validationProblem(errors);
    return submission;
  }

  private async publishSubmitted(
    em: EntityManager,
    filing: {
      id: string;
      uscc: string;
      revision: number;
      attempt: number;
      submission: Omit<FilingSubmission, 'form'> & { form: FormVersion };
      hash: string;
      receivedAt: Date;
    },
  ): Promise<void> {
    await this.outbox.add(em, {
      topic: 'filing.submitted.v1',
      key: filing.uscc,
      correlationId: currentCorrelationId(),
      payload: {
        filingId: filing.id,
        revision: filing.revision,
        attempt: filing.attempt,
        uscc: filing.uscc,
        formId: filing.submission.formId,
        formVersion: filing.submission.form.version,
        period: filing.submission.period,
        values: filing.submission.values,
        explanations: filing.submission.explanations.map((e) => ({
          ruleCode: e.ruleCode,
          reasonCode: e.reasonCode,
          text: e.text,
          ...(e.indicator ? { indicator: e.indicator } : {}),
        })),
        contentSha256: filing.hash,
        receivedAt: filing.receivedAt.toISOString(),
      },
    });
  }

  private async receiptOf(em: EntityManager, filingId: string, revision: number): Promise<Receipt> {
    const filing = (await this.filings.filing(em, filingId))!;
    const row = (await this.filings.revision(em, filingId, revision))!;
    return receiptFrom(filing, row, this.clock.now());
  }

  /** By the membership valid at the end of the filing's period: a park or street the enterprise left reads only its past. */
  private async mayRead(
    em: EntityManager,
    principal: Principal,
    filing: Pick<Filing, 'uscc' | 'period'>,
  ): Promise<boolean> {
    const scope = scopeFilter(principal);
    if (scope.kind === 'all') return true;
    // Also for a dry run's filing that is not stored: the same filter over its USCC and period.
    return this.filings.inScope(em, scope, filing.uscc, filing.period);
  }
}

export interface FilingView {
  readonly id: string;
  readonly uscc: string;
  readonly formId: string;
  readonly period: string;
  readonly status: string;
  readonly currentRevision: number;
  readonly deadlines: { readonly dueOn: string; readonly graceEndsOn: string; readonly locksOn: string };
  readonly current: ReturnType<typeof revisionView>;
  readonly revisions: readonly {
    revision: number;
    status: string;
    outcome: string | null;
    receivedAt: string;
    contentSha256: string;
  }[];
}

/** A receipt is what its revision says, read again whenever it is asked for (a replayed key, an explanation). */
function receiptFrom(
  filing: Pick<Filing, 'id' | 'uscc' | 'formId' | 'period'>,
  row: Pick<
    FilingRevision,
    | 'revision'
    | 'attempt'
    | 'status'
    | 'contentSha256'
    | 'idempotencyKey'
    | 'formVersion'
    | 'ruleSetVersion'
    | 'receivedAt'
  >,
  now: Date,
): Receipt {
  return {
    filingId: filing.id,
    uscc: filing.uscc,
    formId: filing.formId,
    period: filing.period,
    revision: row.revision,
    attempt: row.attempt,
    status: row.status,
    contentSha256: row.contentSha256,
    idempotencyKey: row.idempotencyKey ?? null,
    formVersion: row.formVersion,
    ruleSetVersion: row.ruleSetVersion,
    receivedAt: iso(row.receivedAt),
    serverTime: now.toISOString(),
    links: { filing: `/v1/filings/${filing.id}`, revision: `/v1/filings/${filing.id}/revisions/${row.revision}` },
  };
}

function revisionView(row: FilingRevision) {
  return {
    revision: row.revision,
    attempt: row.attempt,
    status: row.status,
    outcome: row.outcome ?? null,
    formVersion: row.formVersion,
    ruleSetVersion: row.ruleSetVersion,
    values: row.values,
    explanations: row.explanations,
    findings: row.findings,
    contentSha256: row.contentSha256,
    receivedAt: iso(row.receivedAt),
    validatedAt: row.validatedAt ? iso(row.validatedAt) : null,
    returned: row.returnedAt
      ? { comment: row.returnedComment ?? null, by: row.returnedBy ?? null, at: iso(row.returnedAt) }
      : null,
  };
}

function mergeExplanations(previous: readonly Explanation[], added: readonly Explanation[]): Explanation[] {
  const key = (e: Explanation) => `${e.ruleCode}|${e.indicator ?? ''}`;
  const merged = new Map(previous.map((e) => [key(e), e]));
  for (const explanation of added) merged.set(key(explanation), explanation);
  return [...merged.values()];
}

function filingNotFound(id: string): ProblemException {
  return new ProblemException(404, 'FILING.NOT_FOUND', 'Not found', `No filing ${id}.`, [], '没有找到该报表');
}
