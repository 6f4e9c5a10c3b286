import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilingValidated } from '@huoju/contracts';
import { acceptedRevisionsSql } from '@huoju/persistence';

/**
 * The verdict history and the accepted filing derived from it. Ingestion takes a per-schema advisory lock,
 * so verdicts get their seq in commit order: a snapshot always sees exactly the verdicts with seq <= its
 * max(seq), which is what lets a manifest name its cut-off by one number.
 */
@Injectable()
export class VerdictRepository {
  /** Records verdicts (duplicates ignored) and re-derives the accepted filing of every key they touch. */
  async record(em: EntityManager, verdicts: readonly FilingValidated[]): Promise<number> {
    if (verdicts.length === 0) return 0;
    await em.execute(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.filing_verdict'))`);
    const inserted = await em.execute<{ form_id: string; period: string; uscc: string }[]>(
      `INSERT INTO filing_verdict (filing_id, revision, verdict, attempt, uscc, form_id, form_version, period, outcome, "values", content_sha256, received_at, validated_at)
       SELECT filing_id, revision, verdict, attempt, uscc, form_id, form_version, period, outcome, "values", content_sha256, received_at, validated_at
         FROM jsonb_to_recordset(?::jsonb) AS v(filing_id uuid, revision int, verdict int, attempt int, uscc text, form_id text, form_version text,
                                               period text, outcome text, "values" jsonb, content_sha256 text, received_at timestamptz, validated_at timestamptz)
       ON CONFLICT (filing_id, revision, verdict) DO NOTHING
       RETURNING form_id, period, uscc`,
      [
        JSON.stringify(
          verdicts.map((v) => ({
            filing_id: v.filingId,
            revision: v.revision,
            verdict: v.verdict,
            attempt: v.attempt,
            uscc: v.uscc,
            form_id: v.formId,
            form_version: v.formVersion,
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
    if (inserted.length === 0) return 0;
    await em.execute(
      `WITH keys AS (
         SELECT DISTINCT form_id, period, uscc FROM jsonb_to_recordset(?::jsonb) AS k(form_id text, period text, uscc text)
       ), best AS (
         ${acceptedRevisionsSql('filing_verdict', '(v.form_id, v.period, v.uscc) IN (SELECT form_id, period, uscc FROM keys)')}
       ), gone AS (
         DELETE FROM accepted_filing a USING keys k
          WHERE a.form_id = k.form_id AND a.period = k.period AND a.uscc = k.uscc
            AND NOT EXISTS (SELECT 1 FROM best b WHERE b.form_id = a.form_id AND b.period = a.period AND b.uscc = a.uscc)
       )
       INSERT INTO accepted_filing (form_id, period, uscc, filing_id, revision, verdict, form_version, "values", content_sha256, validated_at, seq)
       SELECT form_id, period, uscc, filing_id, revision, verdict, form_version, "values", content_sha256, validated_at, seq FROM best
       ON CONFLICT (form_id, period, uscc) DO UPDATE
          SET filing_id = excluded.filing_id, revision = excluded.revision, verdict = excluded.verdict, form_version = excluded.form_version,
              "values" = excluded."values", content_sha256 = excluded.content_sha256, validated_at = excluded.validated_at, seq = excluded.seq
        WHERE accepted_filing.seq IS DISTINCT FROM excluded.seq`,
      [JSON.stringify(inserted)],
    );
    return inserted.length;
  }
}
