import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Explanation } from '@huoju/domain';
import { AWAITING_VERDICT, statusListSql } from '../filings/filing-status';

/** A revision still waiting for its verdict, with what its filing.submitted.v1 event carries. */
export interface StuckRevision {
  filing_id: string;
  revision: number;
  attempt: number;
  uscc: string;
  form_id: string;
  form_version: string;
  period: string;
  values: Record<string, string>;
  explanations: Explanation[];
  content_sha256: string;
  received_at: Date | string;
}

/** SQL of the stuck-filing sweeper. */
@Injectable()
export class StuckFilingRepository {
  /** One sweeper per schema at a time; the lock ends with the transaction. */
  async tryLock(em: EntityManager): Promise<boolean> {
    const [row] = await em.execute<{ locked: boolean }[]>(
      "SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '.stuck-filing-sweep')) AS locked",
    );
    return row?.locked === true;
  }

  /**
   * Revisions in received/validating received before `before` (the service clock) whose submitted event was
   * not (re-)written to the outbox within the last `quietMs` (the database clock) — so a revision is
   * re-published at most once per stuck interval, and never while its event is fresh.
   */
  async stuck(em: EntityManager, before: Date, quietMs: number, limit: number): Promise<StuckRevision[]> {
    return em.execute<StuckRevision[]>(
      `SELECT r.filing_id, r.revision, r.attempt, f.uscc, f.form_id, r.form_version, f.period, r."values",
              r.explanations, r.content_sha256, r.received_at
         FROM filing_revision r JOIN filing f ON f.id = r.filing_id
        WHERE r.status IN ${statusListSql(AWAITING_VERDICT)} AND r.received_at < ?
          AND NOT EXISTS (
                SELECT 1 FROM outbox o
                 WHERE o.topic = 'filing.submitted.v1' AND o.created_at >= now() - ? * interval '1 millisecond'
                   AND o.envelope->'payload'->>'filingId' = r.filing_id::text
                   AND (o.envelope->'payload'->>'revision')::int = r.revision
                   AND (o.envelope->'payload'->>'attempt')::int = r.attempt)
        ORDER BY r.received_at
        LIMIT ?`,
      [before, quietMs, limit],
    );
  }
}
