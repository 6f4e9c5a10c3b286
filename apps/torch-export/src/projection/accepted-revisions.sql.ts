/**
 * The one definition of "the accepted filing" of an enterprise for a form and period, over a chosen set of
 * verdicts: take each revision's newest verdict (a later verdict of the same revision may change its
 * outcome); of the revisions whose newest verdict is 'accepted', keep the highest. A late-arriving older
 * revision therefore never wins over a newer one, and a duplicate verdict changes nothing.
 *
 * `verdictFilter` is a condition on `filing_verdict v` (which verdicts count: a key set, or seq <= W and
 * validated_at <= T for an earlier cut-off). Columns: form_id, period, uscc, filing_id, revision, verdict,
 * form_version, values, content_sha256, validated_at, seq.
 */
export function acceptedRevisionsSql(verdictFilter: string): string {
  return `SELECT DISTINCT ON (n.form_id, n.period, n.uscc)
                 n.form_id, n.period, n.uscc, n.filing_id, n.revision, n.verdict, n.form_version, n."values", n.content_sha256, n.validated_at, n.seq
            FROM (SELECT DISTINCT ON (v.form_id, v.period, v.uscc, v.revision) v.*
                    FROM filing_verdict v
                   WHERE ${verdictFilter}
                   ORDER BY v.form_id, v.period, v.uscc, v.revision, v.verdict DESC) n
           WHERE n.outcome = 'accepted'
           ORDER BY n.form_id, n.period, n.uscc, n.revision DESC`;
}
