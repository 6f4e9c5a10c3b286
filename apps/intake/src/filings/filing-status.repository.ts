import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Finding } from '@huoju/domain';
import { KEPT_ON_VERDICT, PUBLISHED_FROM, nextStatus, statusListSql, type VerdictOutcome } from './filing-status';

export interface PublishedSubmission {
  readonly filingId: string;
  readonly revision: number;
  readonly attempt: number;
}

export interface IncomingVerdict {
  readonly filing_id: string;
  readonly revision: number;
  readonly verdict: number;
  readonly outcome: VerdictOutcome;
  readonly findings: readonly Finding[];
  readonly validated_at: string;
}

const VALIDATING = nextStatus('received', { kind: 'published' })!;

/**
 * The set-based status changes (a relay batch, a consumed batch of verdicts), in SQL guarded by the rules
 * of `filing-status.ts`; one filing's changes (explained, returned) go through its entities with `moveStatus`.
 * The filing row mirrors its current revision; a change to an older revision leaves the filing alone.
 */
@Injectable()
export class FilingStatusRepository {
  /** `published`: the submitted events just left through the outbox (same transaction as the relay's). */
  async markValidating(em: EntityManager, submitted: readonly PublishedSubmission[]): Promise<void> {
    if (submitted.length === 0) return;
    const rows = JSON.stringify(submitted);
    await lockFilings(em, rows, 'filingId');
    await em.execute(
      `UPDATE filing_revision r SET status = ? FROM jsonb_to_recordset(?::jsonb) AS s("filingId" uuid, revision int, attempt int)
        WHERE r.filing_id = s."filingId" AND r.revision = s.revision AND r.attempt = s.attempt AND r.status IN ${statusListSql(PUBLISHED_FROM)}`,
      [VALIDATING, rows],
    );
    await em.execute(
      `UPDATE filing f SET status = ? FROM jsonb_to_recordset(?::jsonb) AS s("filingId" uuid, revision int)
        WHERE f.id = s."filingId" AND f.current_revision = s.revision AND f.status IN ${statusListSql(PUBLISHED_FROM)}`,
      [VALIDATING, rows],
    );
  }

  /**
   * `validated`: a verdict applies only when newer than the one held, so redeliveries and late arrivals
   * change nothing; a returned revision keeps its status.
   */
  async applyVerdicts(em: EntityManager, verdicts: readonly IncomingVerdict[]): Promise<void> {
    if (verdicts.length === 0) return;
    await lockFilings(em, JSON.stringify(verdicts), 'filing_id');
    await em.execute(
      `WITH incoming AS (
         SELECT DISTINCT ON (filing_id, revision) * FROM jsonb_to_recordset(?::jsonb)
           AS v(filing_id uuid, revision int, verdict int, outcome text, findings jsonb, validated_at timestamptz)
          ORDER BY filing_id, revision, verdict DESC
       ), applied AS (
         UPDATE filing_revision r
            SET verdict = v.verdict, outcome = v.outcome, findings = v.findings, validated_at = v.validated_at,
                status = CASE WHEN r.status IN ${statusListSql(KEPT_ON_VERDICT)} THEN r.status ELSE v.outcome END
           FROM incoming v
          WHERE r.filing_id = v.filing_id AND r.revision = v.revision AND r.verdict < v.verdict
         RETURNING r.filing_id, r.revision, r.status
       )
       UPDATE filing f SET status = a.status, updated_at = now()
         FROM applied a WHERE f.id = a.filing_id AND f.current_revision = a.revision`,
      [JSON.stringify(verdicts)],
    );
  }
}

/**
 * Every status change locks the filing rows first, in id order, then their revisions — the order the HTTP
 * use cases take (filing FOR UPDATE, then its revision) — so a reviewer's return racing the relay or a
 * verdict waits instead of deadlocking.
 */
async function lockFilings(em: EntityManager, rowsJson: string, idField: 'filingId' | 'filing_id'): Promise<void> {
  await em.execute(
    `SELECT id FROM filing WHERE id IN (SELECT (r->>'${idField}')::uuid FROM jsonb_array_elements(?::jsonb) AS r) ORDER BY id FOR UPDATE`,
    [rowsJson],
  );
}
