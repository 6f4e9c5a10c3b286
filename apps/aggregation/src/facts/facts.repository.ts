import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilingValidated } from '@huoju/contracts';
import { acceptedOfNewestSql, newestVerdictsSql } from '@huoju/persistence';

export interface FactKey {
  readonly uscc: string;
  readonly formId: string;
  readonly period: string;
}

/**
 * Keeps the facts: per enterprise, form and period, the values of the highest revision whose newest
 * verdict accepted it. Recomputed from all verdicts of the touched periods, so duplicates, replays,
 * reordering and late arrivals all end in the same facts; a superseding revision replaces the old
 * values in the same transaction.
 */
@Injectable()
export class FactsRepository {
  /** Records verdicts and refreshes facts; returns the periods whose accepted revision changed. */
  async apply(em: EntityManager, verdicts: readonly FilingValidated[]): Promise<FactKey[]> {
    if (verdicts.length === 0) return [];
    await em.execute(
      `INSERT INTO verdict (filing_id, revision, verdict, uscc, form_id, period, outcome, "values", content_sha256, received_at, validated_at)
       SELECT filing_id, revision, verdict, uscc, form_id, period, outcome, "values", content_sha256, received_at, validated_at
         FROM jsonb_to_recordset(?::jsonb) AS v(filing_id uuid, revision int, verdict int, uscc text, form_id text, period text, outcome text,
              "values" jsonb, content_sha256 text, received_at timestamptz, validated_at timestamptz)
       ON CONFLICT DO NOTHING`,
      [
        JSON.stringify(
          verdicts.map((v) => ({
            filing_id: v.filingId,
            revision: v.revision,
            verdict: v.verdict,
            uscc: v.uscc,
            form_id: v.formId,
            period: v.period,
            outcome: v.outcome,
            values: v.values,
            content_sha256: v.contentSha256,
            received_at: v.receivedAt,
            validated_at: v.validatedAt,
          })),
        ),
      ],
    );
    const keys = uniqueKeys(verdicts);
    const keysJson = JSON.stringify(keys.map((k) => ({ uscc: k.uscc, form_id: k.formId, period: k.period })));
    const changed = await em.execute<{ uscc: string; form_id: string; period: string }[]>(
      `WITH keys AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS k(uscc text, form_id text, period text)),
       ${NEWEST_AND_CHOSEN},
       held AS (
         SELECT DISTINCT f.uscc, f.form_id, f.period, f.filing_id, f.revision, f.verdict FROM fact f JOIN keys k USING (uscc, form_id, period)
       )
       SELECT k.uscc, k.form_id, k.period FROM keys k
         LEFT JOIN chosen c USING (uscc, form_id, period)
         LEFT JOIN held h USING (uscc, form_id, period)
        WHERE (c.filing_id, c.revision, c.verdict) IS DISTINCT FROM (h.filing_id, h.revision, h.verdict)`,
      [keysJson],
    );
    if (changed.length > 0) {
      const changedJson = JSON.stringify(changed);
      await em.execute(
        `DELETE FROM fact f USING jsonb_to_recordset(?::jsonb) AS k(uscc text, form_id text, period text)
          WHERE f.uscc = k.uscc AND f.form_id = k.form_id AND f.period = k.period`,
        [changedJson],
      );
      await em.execute(
        `WITH keys AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS k(uscc text, form_id text, period text)),
         ${NEWEST_AND_CHOSEN}
         INSERT INTO fact (uscc, form_id, period, indicator, value, filing_id, revision, verdict)
         SELECT c.uscc, c.form_id, c.period, e.key, e.value::numeric, c.filing_id, c.revision, c.verdict
           FROM chosen c, jsonb_each_text(c."values") e`,
        [changedJson],
      );
    }
    await this.refreshFilingState(em, keysJson);
    return changed.map((row) => ({ uscc: row.uscc, formId: row.form_id, period: row.period }));
  }

  /** What compliance reads: first receipt, latest outcome, and the accepted revision of each period. */
  private async refreshFilingState(em: EntityManager, keysJson: string): Promise<void> {
    await em.execute(
      `WITH keys AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS k(uscc text, form_id text, period text)),
       ${NEWEST_AND_CHOSEN},
       latest AS (SELECT DISTINCT ON (uscc, form_id, period) * FROM newest ORDER BY uscc, form_id, period, revision DESC),
       first AS (SELECT uscc, form_id, period, min(received_at) AS first_received_at FROM newest GROUP BY uscc, form_id, period)
       INSERT INTO filing_state (uscc, form_id, period, filing_id, latest_revision, latest_outcome, first_received_at, accepted_revision, accepted_received_at, accepted_validated_at)
       SELECT l.uscc, l.form_id, l.period, l.filing_id, l.revision, l.outcome, f.first_received_at, a.revision, a.received_at, a.validated_at
         FROM latest l JOIN first f USING (uscc, form_id, period) LEFT JOIN chosen a USING (uscc, form_id, period)
       ON CONFLICT (form_id, period, uscc) DO UPDATE SET filing_id = excluded.filing_id, latest_revision = excluded.latest_revision,
         latest_outcome = excluded.latest_outcome, first_received_at = excluded.first_received_at, accepted_revision = excluded.accepted_revision,
         accepted_received_at = excluded.accepted_received_at, accepted_validated_at = excluded.accepted_validated_at`,
      [keysJson],
    );
  }
}

/**
 * Over the verdicts of the periods in `keys`: each revision's newest verdict (newest), and per period the
 * accepted revision (chosen) — the platform's one rule, from libs/persistence.
 */
const NEWEST_AND_CHOSEN = `newest AS (${newestVerdictsSql('verdict', '(v.uscc, v.form_id, v.period) IN (SELECT uscc, form_id, period FROM keys)')}),
       chosen AS (${acceptedOfNewestSql('newest')})`;

function uniqueKeys(verdicts: readonly FilingValidated[]): FactKey[] {
  const keys = new Map<string, FactKey>();
  for (const v of verdicts)
    keys.set(`${v.uscc}|${v.formId}|${v.period}`, { uscc: v.uscc, formId: v.formId, period: v.period });
  return [...keys.values()];
}
