import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface IdempotencyRecord {
  readonly request_sha256: string;
  readonly filing_id: string;
  readonly revision: number;
}

/** The Idempotency-Key records of submissions: a retry with the same key answers the first receipt. */
@Injectable()
export class IdempotencyRepository {
  /**
   * Serialises retries with the same key (the second waits here until the first commits), then finds the
   * first one's record. The lock ends with the transaction.
   */
  async lockAndFind(em: EntityManager, principal: string, key: string): Promise<IdempotencyRecord | undefined> {
    await em.execute('SELECT pg_advisory_xact_lock(hashtext(?))', [`${principal}\n${key}`]);
    const [record] = await em.execute<IdempotencyRecord[]>(
      'SELECT request_sha256, filing_id, revision FROM idempotency_record WHERE principal = ? AND idempotency_key = ?',
      [principal, key],
    );
    return record;
  }

  async record(
    em: EntityManager,
    row: { principal: string; key: string; requestSha256: string; filingId: string; revision: number },
  ): Promise<void> {
    await em.execute(
      'INSERT INTO idempotency_record (principal, idempotency_key, request_sha256, filing_id, revision) VALUES (?, ?, ?, ?, ?)',
      [row.principal, row.key, row.requestSha256, row.filingId, row.revision],
    );
  }
}
