import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';

/** How long ago a park-period's pending roll-up was last and first asked for (by accepted filings). */
export interface PendingAge {
  readonly sinceLastMs: number;
  readonly sinceFirstMs: number;
}

@Injectable()
export class RollupPendingQuery {
  /** Undefined when nothing is pending (e.g. an earlier roll-up already covered it). */
  async age(
    em: EntityManager,
    key: { parkCode: string; formId: string; period: string },
  ): Promise<PendingAge | undefined> {
    const [row] = await em.execute<{ since_last_ms: string; since_first_ms: string }[]>(
      `SELECT extract(epoch FROM clock_timestamp() - requested_at) * 1000 AS since_last_ms,
              extract(epoch FROM clock_timestamp() - first_requested_at) * 1000 AS since_first_ms
         FROM rollup_pending WHERE form_id = ? AND period = ? AND park_code = ?`,
      [key.formId, key.period, key.parkCode],
    );
    return row ? { sinceLastMs: Number(row.since_last_ms), sinceFirstMs: Number(row.since_first_ms) } : undefined;
  }
}

/**
 * How much longer a provisional roll-up should wait: until the park-period has been quiet for `quietMs`,
 * but never beyond `maxDeferMs` after its first pending request. 0 = run now.
 */
export function deferralMs(age: PendingAge | undefined, limits: { quietMs: number; maxDeferMs: number }): number {
  if (!age || limits.quietMs === 0) return 0;
  const untilQuiet = limits.quietMs - age.sinceLastMs;
  const untilLimit = limits.maxDeferMs - age.sinceFirstMs;
  return Math.max(0, Math.min(untilQuiet, untilLimit));
}
