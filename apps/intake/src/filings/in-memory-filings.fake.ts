import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { EvaluationContext } from '@huoju/domain';
import type { Outbox, OutboxMessage } from '@huoju/messaging';
import type { ScopeFilter } from '@huoju/platform';
import type { FilingContextBuilder } from './filing-context';
import { moveStatus, nextStatus } from './filing-status';
import { Filing, FilingRevision } from './filing.entity';
import type { FilingListFilter, FilingRepository, FilingRow } from './filing.repository';
import type { IdempotencyRecord, IdempotencyRepository } from './idempotency.repository';

type Public<T> = { [K in keyof T]: T[K] };

/**
 * Intake's filing tables in memory, behind the same repository methods, for unit tests of the use cases
 * (FilingsService) without PostgreSQL. Memberships are simple: an enterprise's parks and streets, at all dates.
 */
export class InMemoryFilings {
  readonly filings = new Map<string, Filing>();
  readonly revisions: FilingRevision[] = [];
  readonly idempotency = new Map<string, IdempotencyRecord>();
  readonly published: OutboxMessage[] = [];
  /** The roster: USCC → industry, forms in scope, parks and streets. */
  readonly roster = new Map<string, { industry: string; forms: string[]; parks: string[]; streets: string[] }>();

  /** A MikroORM whose forks run transactions by just calling back (the fakes ignore the EntityManager). */
  readonly orm = {
    em: { fork: () => ({ transactional: <T>(work: (em: EntityManager) => Promise<T>) => work({} as EntityManager) }) },
  } as unknown as MikroORM;

  readonly filingRepository: Public<FilingRepository> = {
    addRevision: async (_em, { id, uscc, formId, period }, fields) => {
      const held = [...this.filings.values()].find(
        (f) => f.uscc === uscc && f.formId === formId && f.period === period,
      );
      const status = nextStatus(held?.status ?? null, { kind: 'submitted' })!;
      const now = new Date();
      const filing = held
        ? Object.assign(held, { currentRevision: held.currentRevision + 1, status, updatedAt: now })
        : Object.assign(new Filing(), {
            id,
            uscc,
            formId,
            period,
            currentRevision: 1,
            status,
            createdAt: now,
            updatedAt: now,
          });
      this.filings.set(filing.id, filing);
      this.revisions.push(
        Object.assign(new FilingRevision(), {
          ...fields,
          filingId: filing.id,
          revision: filing.currentRevision,
          status,
          outcome: null,
          verdict: 0,
          findings: [],
          validatedAt: null,
          returnedComment: null,
          returnedBy: null,
          returnedAt: null,
        }),
      );
      return { id: filing.id, revision: filing.currentRevision };
    },
    // The same objects every time, like the unit of work's identity map: a use case's changes are "flushed" at once.
    filing: async (_em, id) => this.filings.get(id) ?? null,
    revision: async (_em, filingId, revision) =>
      this.revisions.find((r) => r.filingId === filingId && r.revision === revision) ?? null,
    revisions: async (_em, filingId) =>
      this.revisions.filter((r) => r.filingId === filingId).sort((a, b) => a.revision - b.revision),
    page: async (_em, scope, filter, page, pageSize) => {
      const rows = [...this.filings.values()]
        .filter((f) => this.visible(scope, f.uscc) && matches(f, filter))
        .map(rowOf);
      return { total: rows.length, rows: rows.slice((page - 1) * pageSize, page * pageSize) };
    },
    inScope: async (_em, scope, uscc) => this.visible(scope, uscc),
    everInScope: async (_em, kind, codes, uscc) => this.visible({ kind, codes }, uscc),
    enterpriseOn: async (_em, uscc, formId) => {
      const enterprise = this.roster.get(uscc);
      return enterprise && { industry_code: enterprise.industry, in_scope: enterprise.forms.includes(formId) };
    },
    latestAccepted: async () => undefined,
  };

  readonly idempotencyRepository: Public<IdempotencyRepository> = {
    lockAndFind: async (_em, principal, key) => this.idempotency.get(`${principal}\n${key}`),
    record: async (_em, row) => {
      this.idempotency.set(`${row.principal}\n${row.key}`, {
        request_sha256: row.requestSha256,
        filing_id: row.filingId,
        revision: row.revision,
      });
    },
  };

  readonly contexts = {
    build: async (): Promise<EvaluationContext> => ({}),
  } as unknown as FilingContextBuilder;

  readonly outbox = {
    add: async (_em: EntityManager, message: OutboxMessage) => {
      this.published.push(message);
      return message;
    },
  } as unknown as Outbox;

  /** A verdict as validation would send it back. */
  validated(
    filingId: string,
    outcome: 'accepted' | 'needs-explanation' | 'rejected',
    findings: FilingRevision['findings'],
  ) {
    const filing = this.filings.get(filingId)!;
    const revision = this.revisions.find((r) => r.filingId === filingId && r.revision === filing.currentRevision)!;
    Object.assign(revision, { outcome, findings, verdict: revision.verdict + 1, validatedAt: new Date() });
    moveStatus(filing, revision, { kind: 'validated', outcome });
  }

  private visible(scope: ScopeFilter, uscc: string): boolean {
    if (scope.kind === 'all') return true;
    if (scope.kind === 'uscc') return scope.codes.includes(uscc);
    const enterprise = this.roster.get(uscc);
    const links = scope.kind === 'park' ? enterprise?.parks : enterprise?.streets;
    return (links ?? []).some((code) => scope.codes.includes(code));
  }
}

function rowOf(filing: Filing): FilingRow {
  return {
    id: filing.id,
    uscc: filing.uscc,
    form_id: filing.formId,
    period: filing.period,
    current_revision: filing.currentRevision,
    status: filing.status,
    created_at: filing.createdAt,
    updated_at: filing.updatedAt,
  };
}

function matches(filing: Filing, filter: FilingListFilter): boolean {
  return (
    (!filter.formId || filing.formId === filter.formId) &&
    (!filter.period || filing.period === filter.period) &&
    (!filter.status || filing.status === filter.status) &&
    (!filter.uscc || filing.uscc === filter.uscc)
  );
}
