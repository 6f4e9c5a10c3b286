import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { EvaluationContext } from '@huoju/domain';
import type { Outbox, OutboxMessage } from '@huoju/messaging';
import type { ScopeFilter } from '@huoju/platform';
import type { FilingContextBuilder } from './filing-context';
import { nextStatus } from './filing-status';
import type { FilingStatusRepository } from './filing-status.repository';
import type { FilingListFilter, FilingRepository, FilingRow, RevisionRow } from './filing.repository';
import type { IdempotencyRecord, IdempotencyRepository } from './idempotency.repository';

type Public<T> = { [K in keyof T]: T[K] };

/**
 * Intake's filing tables in memory, behind the same repository methods, for unit tests of the use cases
 * (FilingsService) without PostgreSQL. Memberships are simple: an enterprise's parks and streets, at all dates.
 */
export class InMemoryFilings {
  readonly filings = new Map<string, FilingRow>();
  readonly revisions: RevisionRow[] = [];
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
        (f) => f.uscc === uscc && f.form_id === formId && f.period === period,
      );
      const status = nextStatus(held?.status ?? null, { kind: 'submitted' })!;
      const now = new Date();
      const filing: FilingRow = held
        ? { ...held, current_revision: held.current_revision + 1, status, updated_at: now }
        : { id, uscc, form_id: formId, period, current_revision: 1, status, created_at: now, updated_at: now };
      this.filings.set(filing.id, filing);
      this.revisions.push({
        ...fields,
        filing_id: filing.id,
        revision: filing.current_revision,
        status: 'received',
        outcome: null,
        verdict: 0,
        findings: [],
        validated_at: null,
        returned_comment: null,
        returned_by: null,
        returned_at: null,
      });
      return { id: filing.id, revision: filing.current_revision };
    },
    filing: async (_em, id) => this.filings.get(id),
    revision: async (_em, filingId, revision) =>
      this.revisions.find((r) => r.filing_id === filingId && r.revision === revision),
    revisions: async (_em, filingId) =>
      this.revisions.filter((r) => r.filing_id === filingId).sort((a, b) => a.revision - b.revision),
    page: async (_em, scope, filter, page, pageSize) => {
      const rows = [...this.filings.values()].filter((f) => this.visible(scope, f.uscc) && matches(f, filter));
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

  readonly statusRepository: Public<FilingStatusRepository> = {
    markValidating: async () => undefined,
    applyVerdicts: async () => undefined,
    markExplained: async (_em, change) => {
      const revision = this.revisions.find((r) => r.filing_id === change.filingId && r.revision === change.revision)!;
      Object.assign(revision, {
        explanations: change.explanations,
        attempt: change.attempt,
        content_sha256: change.contentSha256,
        status: nextStatus(revision.status, { kind: 'explained' }),
      });
      this.filings.get(change.filingId)!.status = revision.status;
    },
    markReturned: async (_em, change) => {
      const revision = this.revisions.find((r) => r.filing_id === change.filingId && r.revision === change.revision)!;
      Object.assign(revision, {
        status: nextStatus(revision.status, { kind: 'returned' }),
        returned_comment: change.comment,
        returned_by: change.by,
        returned_at: change.at,
      });
      this.filings.get(change.filingId)!.status = revision.status;
    },
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
    findings: RevisionRow['findings'],
  ) {
    const filing = this.filings.get(filingId)!;
    const revision = this.revisions.find((r) => r.filing_id === filingId && r.revision === filing.current_revision)!;
    Object.assign(revision, {
      outcome,
      findings,
      verdict: revision.verdict + 1,
      status: nextStatus(revision.status, { kind: 'validated', outcome }),
    });
    filing.status = revision.status;
  }

  private visible(scope: ScopeFilter, uscc: string): boolean {
    if (scope.kind === 'all') return true;
    if (scope.kind === 'uscc') return scope.codes.includes(uscc);
    const enterprise = this.roster.get(uscc);
    const links = scope.kind === 'park' ? enterprise?.parks : enterprise?.streets;
    return (links ?? []).some((code) => scope.codes.includes(code));
  }
}

function matches(filing: FilingRow, filter: FilingListFilter): boolean {
  return (
    (!filter.formId || filing.form_id === filter.formId) &&
    (!filter.period || filing.period === filter.period) &&
    (!filter.status || filing.status === filter.status) &&
    (!filter.uscc || filing.uscc === filter.uscc)
  );
}
