import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EnterpriseChanged } from '@huoju/contracts';

/**
 * torch-export's roster: every registry version of every enterprise, never updated. The key (USCC, registry
 * version) makes a duplicate or a replay change nothing, and reads pick versions by number, so an older version
 * arriving late only fills in the history. Ingestion takes a per-schema advisory lock, so versions get their seq
 * in commit order and an export's roster cut-off is one number, like its verdict cut-off.
 */
@Injectable()
export class RosterHistoryRepository {
  async record(em: EntityManager, events: readonly EnterpriseChanged[]): Promise<number> {
    if (events.length === 0) return 0;
    await em.execute(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.roster_enterprise_version'))`);
    const inserted = await em.execute<{ uscc: string }[]>(
      `INSERT INTO roster_enterprise_version (uscc, registry_version, changed_on, name_zh, industry_code, memberships, streets)
       SELECT uscc, registry_version, (changed_at AT TIME ZONE 'Asia/Shanghai')::date, name_zh, industry_code, memberships, streets
         FROM jsonb_to_recordset(?::jsonb) AS e(uscc text, registry_version int, changed_at timestamptz, name_zh text, industry_code text,
                                               memberships jsonb, streets jsonb)
        ORDER BY uscc, registry_version
       ON CONFLICT (uscc, registry_version) DO NOTHING
       RETURNING uscc`,
      [
        JSON.stringify(
          events.map((event) => ({
            uscc: event.uscc,
            registry_version: event.registryVersion,
            changed_at: event.changedAt,
            name_zh: event.nameZh,
            industry_code: event.industryCode,
            memberships: event.memberships,
            streets: event.streets,
          })),
        ),
      ],
    );
    return inserted.length;
  }
}

/**
 * The roster of one day under a roster cut-off, as the body of a CTE with columns uscc, registry_version, name_zh,
 * industry_code, park_code, sub_park_code, street_code.
 * - Park, sub-park and street come from the newest version the cut-off knows: its validity periods are the
 *   registry's latest word on where the enterprise was that day (as aggregation attributes it).
 * - Name and industry come from the newest version changed on or before the day; an enterprise registered after
 *   the day is named as it was first known.
 * One membership and one street per enterprise on the day; overlapping validity keeps the latest start. Without a
 * membership on the day the enterprise has no row.
 */
export function rosterOnDaySql(rosterSequence: string, day: string): { sql: string; params: unknown[] } {
  const sql = `WITH cut AS (SELECT ?::bigint AS seq, ?::date AS day),
          known AS (
            SELECT DISTINCT ON (v.uscc) v.uscc, v.registry_version, v.memberships, v.streets
              FROM roster_enterprise_version v, cut WHERE v.seq <= cut.seq
             ORDER BY v.uscc, v.registry_version DESC
          ), named AS (
            SELECT DISTINCT ON (v.uscc) v.uscc, v.name_zh, v.industry_code
              FROM roster_enterprise_version v, cut WHERE v.seq <= cut.seq
             ORDER BY v.uscc, (v.changed_on <= cut.day) DESC,
                      CASE WHEN v.changed_on <= cut.day THEN v.registry_version ELSE -v.registry_version END DESC
          )
          SELECT k.uscc, k.registry_version, n.name_zh, n.industry_code, m.park_code, m.sub_park_code, s.street_code
            FROM known k CROSS JOIN cut
            JOIN named n ON n.uscc = k.uscc
            CROSS JOIN LATERAL (
              SELECT x."parkCode" AS park_code, x."subParkCode" AS sub_park_code
                FROM jsonb_to_recordset(k.memberships) AS x("parkCode" text, "subParkCode" text, "validFrom" date, "validTo" date)
               WHERE x."validFrom" <= cut.day AND (x."validTo" IS NULL OR x."validTo" >= cut.day)
               ORDER BY x."validFrom" DESC LIMIT 1
            ) m
            LEFT JOIN LATERAL (
              SELECT x."streetCode" AS street_code
                FROM jsonb_to_recordset(k.streets) AS x("streetCode" text, "validFrom" date, "validTo" date)
               WHERE x."validFrom" <= cut.day AND (x."validTo" IS NULL OR x."validTo" >= cut.day)
               ORDER BY x."validFrom" DESC LIMIT 1
            ) s ON true`;
  return { sql, params: [rosterSequence, day] };
}
