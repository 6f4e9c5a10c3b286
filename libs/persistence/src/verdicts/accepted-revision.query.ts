/**
 * The SQL form of `acceptedRevisions` (accepted-revision.ts), the one every service uses. `source` is a
 * table or a parenthesised subquery with at least the columns uscc, form_id, period, revision, verdict and
 * outcome; `filter` is a condition on it as `v` (which verdicts count: a key set, or a cut-off). The rows
 * come back with every column of `source`.
 */

/** Each revision's newest verdict. */
export function newestVerdictsSql(source: string, filter = 'true'): string {
  return `SELECT DISTINCT ON (v.form_id, v.period, v.uscc, v.revision) v.*
            FROM ${source} v
           WHERE ${filter}
           ORDER BY v.form_id, v.period, v.uscc, v.revision, v.verdict DESC`;
}

/** Of newest verdicts (a relation named `newest`, as a CTE), per form, period and enterprise the accepted one. */
export function acceptedOfNewestSql(newest: string): string {
  return `SELECT DISTINCT ON (n.form_id, n.period, n.uscc) n.*
            FROM ${newest} n
           WHERE n.outcome = 'accepted'
           ORDER BY n.form_id, n.period, n.uscc, n.revision DESC`;
}

/** Per form, period and enterprise, the accepted revision's row. */
export function acceptedRevisionsSql(source: string, filter = 'true'): string {
  return acceptedOfNewestSql(`(${newestVerdictsSql(source, filter)})`);
}
