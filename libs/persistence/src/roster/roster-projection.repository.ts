import type { EntityManager } from '@mikro-orm/postgresql';
import type { EnterpriseChanged } from '@huoju/contracts';

/**
 * Applies registry events to the roster projection, newest registry version per enterprise winning:
 * a duplicate, a replay or an older event arriving late changes nothing. Many events go in a handful of
 * statements (one JSON parameter each), so rebuilding 250,000 enterprises stays fast.
 */
export async function applyEnterpriseChanges(em: EntityManager, events: readonly EnterpriseChanged[]): Promise<number> {
  const latest = new Map<string, EnterpriseChanged>();
  for (const event of events) {
    const held = latest.get(event.uscc);
    if (!held || held.registryVersion < event.registryVersion) latest.set(event.uscc, event);
  }
  if (latest.size === 0) return 0;
  const newer = await em.execute<{ uscc: string }[]>(
    `SELECT e.uscc FROM jsonb_to_recordset(?::jsonb) AS e(uscc text, registry_version int)
       LEFT JOIN roster_enterprise r ON r.uscc = e.uscc
      WHERE r.uscc IS NULL OR r.registry_version < e.registry_version`,
    [
      JSON.stringify(
        [...latest.values()].map((event) => ({ uscc: event.uscc, registry_version: event.registryVersion })),
      ),
    ],
  );
  const changes = newer.map((row) => latest.get(row.uscc)!);
  if (changes.length === 0) return 0;
  const usccs = JSON.stringify(changes.map((change) => change.uscc));

  await em.execute(
    `INSERT INTO roster_enterprise (uscc, registry_version, name_zh, industry_code, registered_district, contact, industry_tags, updated_at)
     SELECT uscc, registry_version, name_zh, industry_code, registered_district, contact, ARRAY(SELECT jsonb_array_elements_text(industry_tags)), now()
       FROM jsonb_to_recordset(?::jsonb) AS e(uscc text, registry_version int, name_zh text, industry_code text, registered_district text, contact jsonb, industry_tags jsonb)
     ON CONFLICT (uscc) DO UPDATE SET registry_version = excluded.registry_version, name_zh = excluded.name_zh,
       industry_code = excluded.industry_code, registered_district = excluded.registered_district, contact = excluded.contact,
       industry_tags = excluded.industry_tags, updated_at = now()`,
    [
      JSON.stringify(
        changes.map((c) => ({
          uscc: c.uscc,
          registry_version: c.registryVersion,
          name_zh: c.nameZh,
          industry_code: c.industryCode,
          registered_district: c.registeredDistrict,
          contact: c.contact,
          industry_tags: c.industryTags,
        })),
      ),
    ],
  );
  for (const table of ['roster_membership', 'roster_street', 'roster_qualification', 'roster_scope']) {
    await em.execute(`DELETE FROM ${table} WHERE uscc IN (SELECT jsonb_array_elements_text(?::jsonb))`, [usccs]);
  }
  await insertRows(
    em,
    `INSERT INTO roster_membership (uscc, park_code, sub_park_code, carrier_code, valid_from, valid_to)
     SELECT uscc, park_code, sub_park_code, carrier_code, valid_from, valid_to
       FROM jsonb_to_recordset(?::jsonb) AS m(uscc text, park_code text, sub_park_code text, carrier_code text, valid_from date, valid_to date)`,
    changes.flatMap((c) =>
      c.memberships.map((m) => ({
        uscc: c.uscc,
        park_code: m.parkCode,
        sub_park_code: m.subParkCode,
        carrier_code: m.carrierCode,
        valid_from: m.validFrom,
        valid_to: m.validTo,
      })),
    ),
  );
  await insertRows(
    em,
    `INSERT INTO roster_street (uscc, street_code, valid_from, valid_to)
     SELECT uscc, street_code, valid_from, valid_to FROM jsonb_to_recordset(?::jsonb) AS s(uscc text, street_code text, valid_from date, valid_to date)`,
    changes.flatMap((c) =>
      c.streets.map((s) => ({ uscc: c.uscc, street_code: s.streetCode, valid_from: s.validFrom, valid_to: s.validTo })),
    ),
  );
  await insertRows(
    em,
    `INSERT INTO roster_qualification (uscc, tag, valid_from, valid_to)
     SELECT uscc, tag, valid_from, valid_to FROM jsonb_to_recordset(?::jsonb) AS q(uscc text, tag text, valid_from date, valid_to date)`,
    changes.flatMap((c) =>
      c.qualifications.map((q) => ({ uscc: c.uscc, tag: q.tag, valid_from: q.validFrom, valid_to: q.validTo })),
    ),
  );
  await insertRows(
    em,
    `INSERT INTO roster_scope (uscc, form_id, valid_from, valid_to)
     SELECT uscc, form_id, valid_from, valid_to FROM jsonb_to_recordset(?::jsonb) AS s(uscc text, form_id text, valid_from date, valid_to date)`,
    changes.flatMap((c) =>
      c.scope.map((s) => ({ uscc: c.uscc, form_id: s.formId, valid_from: s.validFrom, valid_to: s.validTo })),
    ),
  );
  return changes.length;
}

async function insertRows(em: EntityManager, sql: string, rows: readonly object[]): Promise<void> {
  if (rows.length > 0) await em.execute(sql, [JSON.stringify(rows)]);
}
