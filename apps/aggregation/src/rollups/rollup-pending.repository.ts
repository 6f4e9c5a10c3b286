import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PendingAge } from './rollup-deferral';
import type { RollupTrigger } from './rollup.service';

/** A fact key with what the pending roll-up needs: its period's last day and why it is asked for. */
export interface PendingKey {
  readonly uscc: string;
  readonly formId: string;
  readonly period: string;
  readonly periodEnd: string;
  readonly trigger: RollupTrigger;
}

export interface PendingRollupRow {
  readonly parkCode: string;
  readonly formId: string;
  readonly period: string;
  readonly trigger: RollupTrigger;
}

interface Row {
  park_code: string;
  form_id: string;
  period: string;
  trigger: RollupTrigger;
}

const toPending = (row: Row): PendingRollupRow => ({
  parkCode: row.park_code,
  formId: row.form_id,
  period: row.period,
  trigger: row.trigger,
});

/** `rollup_pending`: what still needs a roll-up, kept in PostgreSQL so a lost queue cannot lose it. */
@Injectable()
export class RollupPendingRepository {
  /** How long ago a park-period's pending roll-up was last and first asked for, and whether it is maintained yet. */
  async age(
    em: EntityManager,
    key: { parkCode: string; formId: string; period: string },
  ): Promise<PendingAge | undefined> {
    const [row] = await em.execute<{ since_last_ms: string; since_first_ms: string; maintained: boolean }[]>(
      `SELECT extract(epoch FROM clock_timestamp() - p.requested_at) * 1000 AS since_last_ms,
              extract(epoch FROM clock_timestamp() - p.first_requested_at) * 1000 AS since_first_ms,
              EXISTS (SELECT 1 FROM figure_scope s WHERE s.form_id = p.form_id AND s.period = p.period AND s.park_code = p.park_code) AS maintained
         FROM rollup_pending p WHERE p.form_id = ? AND p.period = ? AND p.park_code = ?`,
      [key.formId, key.period, key.parkCode],
    );
    return row
      ? { sinceLastMs: Number(row.since_last_ms), sinceFirstMs: Number(row.since_first_ms), maintained: row.maintained }
      : undefined;
  }

  /** The parks the enterprises belonged to on those periods' last days (before and now), in the caller's transaction. */
  async record(em: EntityManager, keys: readonly PendingKey[]): Promise<PendingRollupRow[]> {
    if (keys.length === 0) return [];
    const rows = await em.execute<Row[]>(
      // Only periods the enterprise filed in: a neighbour period's figures move exactly by delta and are
      // reconciled when one of its own filings or its closing asks for it.
      `WITH keys AS (SELECT k.* FROM jsonb_to_recordset(?::jsonb) AS k(uscc text, form_id text, period text, period_end date, trigger text)
                      JOIN filing_state fs USING (uscc, form_id, period)),
       targets AS (
         SELECT DISTINCT m.park_code, k.form_id, k.period, k.trigger FROM keys k JOIN roster_membership m ON m.uscc = k.uscc
          WHERE m.valid_from <= k.period_end AND (m.valid_to IS NULL OR m.valid_to >= k.period_end)
         UNION
         SELECT DISTINCT i.park_code, i.form_id, i.period, k.trigger FROM keys k JOIN rollup_input i USING (uscc, form_id, period)
       )
       INSERT INTO rollup_pending AS p (form_id, period, park_code, trigger)
       SELECT DISTINCT ON (form_id, period, park_code) form_id, period, park_code, trigger FROM targets ORDER BY form_id, period, park_code
       ON CONFLICT (form_id, period, park_code) DO UPDATE SET trigger = excluded.trigger, requested_at = clock_timestamp()
       RETURNING park_code, form_id, period, trigger`,
      [
        JSON.stringify(
          keys.map((k) => ({
            uscc: k.uscc,
            form_id: k.formId,
            period: k.period,
            period_end: k.periodEnd,
            trigger: k.trigger,
          })),
        ),
      ],
    );
    return rows.map(toPending);
  }

  /** Pending longer than `olderThanMs`: its job should have run by now, so it may have been lost. */
  async olderThan(em: EntityManager, olderThanMs: number): Promise<PendingRollupRow[]> {
    const rows = await em.execute<Row[]>(
      `SELECT park_code, form_id, period, trigger FROM rollup_pending WHERE requested_at < clock_timestamp() - make_interval(secs => ?)`,
      [olderThanMs / 1000],
    );
    return rows.map(toPending);
  }
}
