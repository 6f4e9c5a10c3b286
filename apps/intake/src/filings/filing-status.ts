/**
 * A filing's life, in one place. A revision moves:
 *
 *   submitted ─▶ received ─(its event leaves through the outbox)─▶ validating ─(a verdict)─▶ accepted
 *                  ▲                                                                      ├▶ needs-explanation ─(explained)─▶ received
 *                  └──────────────────────── a new revision (amendment) ──────────────────┴▶ rejected
 *   any status ─(a reviewer returns it)─▶ returned, which a verdict never overrides; only a new revision does.
 *
 * The filing's own status is its current revision's. The SQL that moves statuses in batches
 * (`filing-status.repository.ts`) takes its guards from the lists below, and the use cases that change one
 * filing move its entities with `moveStatus`, so the rules live only here.
 */
export const FILING_STATUSES = [
  'received',
  'validating',
  'accepted',
  'needs-explanation',
  'rejected',
  'returned',
] as const;
export type FilingStatus = (typeof FILING_STATUSES)[number];
export type VerdictOutcome = 'accepted' | 'needs-explanation' | 'rejected';

export type FilingTransition =
  | { readonly kind: 'submitted' }
  | { readonly kind: 'published' }
  | { readonly kind: 'validated'; readonly outcome: VerdictOutcome }
  | { readonly kind: 'explained' }
  | { readonly kind: 'returned' };

/** Waiting for a verdict: the sweeper re-publishes these when stuck, the metrics count them as pending. */
export const AWAITING_VERDICT: readonly FilingStatus[] = ['received', 'validating'];
/** Only a revision still "received" becomes "validating" when its event is published (a verdict may come first). */
export const PUBLISHED_FROM: readonly FilingStatus[] = ['received'];
/** Only the enterprise's own answer to its warnings re-opens a revision without amending it. */
export const EXPLAINABLE_FROM: readonly FilingStatus[] = ['needs-explanation'];
/** A reviewer's return stands until the enterprise files a new revision, whatever verdict arrives later. */
export const KEPT_ON_VERDICT: readonly FilingStatus[] = ['returned'];

/** The status after `transition`, or null when the transition is not allowed from `current` (no change). */
export function nextStatus(current: FilingStatus | null, transition: FilingTransition): FilingStatus | null {
  switch (transition.kind) {
    case 'submitted':
      return 'received';
    case 'published':
      return current !== null && PUBLISHED_FROM.includes(current) ? 'validating' : null;
    case 'validated':
      if (current === null) return null;
      return KEPT_ON_VERDICT.includes(current) ? current : transition.outcome;
    case 'explained':
      return current !== null && EXPLAINABLE_FROM.includes(current) ? 'received' : null;
    case 'returned':
      return current === null ? null : 'returned';
  }
}

/** A revision and its filing as `moveStatus` changes them (the entities, or their in-memory fakes). */
export interface StatusOf {
  status: FilingStatus;
}

/**
 * Moves `revision` by `transition` and, when it is the filing's current revision, the filing with it;
 * false (and nothing changed) when the transition is not allowed from the revision's status.
 */
export function moveStatus(
  filing: StatusOf & { readonly currentRevision: number; updatedAt: Date },
  revision: StatusOf & { readonly revision: number },
  transition: FilingTransition,
): boolean {
  const next = nextStatus(revision.status, transition);
  if (next === null) return false;
  revision.status = next;
  if (filing.currentRevision === revision.revision) {
    filing.status = next;
    filing.updatedAt = new Date();
  }
  return true;
}

/** `statuses` as an SQL list literal (the statuses are fixed identifiers, never user input). */
export function statusListSql(statuses: readonly FilingStatus[]): string {
  return `(${statuses.map((status) => `'${status}'`).join(', ')})`;
}
