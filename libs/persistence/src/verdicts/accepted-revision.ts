/** What the accepted-revision rule reads of a verdict. */
export interface VerdictLike {
  readonly uscc: string;
  readonly formId: string;
  readonly period: string;
  readonly revision: number;
  /** Verdicts of one revision are numbered; a later one (a re-validation) replaces an earlier one. */
  readonly verdict: number;
  readonly outcome: string;
}

/**
 * THE definition of "the accepted revision" of an enterprise's filing for a form and period: take each
 * revision's newest verdict; of the revisions whose newest verdict is 'accepted', the highest. A late
 * older revision never wins over a newer one, a duplicate verdict changes nothing, and a re-validation
 * that no longer accepts a revision hands the period back to the revision before it.
 *
 * This pure form is the oracle the SQL form (`accepted-revision.query.ts`) is property-tested against.
 */
export function acceptedRevisions<T extends VerdictLike>(verdicts: readonly T[]): Map<string, T> {
  const newest = new Map<string, T>();
  for (const v of verdicts) {
    const key = `${v.formId}|${v.period}|${v.uscc}|${v.revision}`;
    const held = newest.get(key);
    if (!held || held.verdict < v.verdict) newest.set(key, v);
  }
  const accepted = new Map<string, T>();
  for (const v of newest.values()) {
    if (v.outcome !== 'accepted') continue;
    const key = periodKey(v);
    const held = accepted.get(key);
    if (!held || held.revision < v.revision) accepted.set(key, v);
  }
  return accepted;
}

/** The key `acceptedRevisions` answers by: form, period and enterprise. */
export function periodKey(v: Pick<VerdictLike, 'formId' | 'period' | 'uscc'>): string {
  return `${v.formId}|${v.period}|${v.uscc}`;
}
