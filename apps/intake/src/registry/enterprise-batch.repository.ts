import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FormId } from '@huoju/domain';
import type { EnterpriseInput } from './enterprise-input';
import type { EnterpriseState } from './enterprise.repository';

/** Rows per statement: each statement takes its rows as one JSON parameter (jsonb_to_recordset). */
const CHUNK = 1000;

export interface MembershipValues {
  readonly parkCode: string;
  readonly subParkCode: string;
  readonly carrierCode: string | null;
}

export interface DetailValues {
  readonly uscc: string;
  readonly nameZh: string;
  readonly industryCode: string;
  readonly registeredDistrict: string;
  readonly contact: EnterpriseInput['contact'];
  /** Absent: the tags stay as they are. */
  readonly industryTags?: readonly string[];
}

const IMPORT_LOCK_KEY = 'intake.roster-import';

/**
 * The roster tables for many enterprises at once, as the roster import needs them: a handful of statements
 * per table instead of one per enterprise. Same tables and rules as EnterpriseRepository.
 */
@Injectable()
export class EnterpriseBatchRepository {
  /** Current state of every listed enterprise that exists, each validity list in date order. */
  async states(em: EntityManager, usccs: readonly string[]): Promise<Map<string, EnterpriseState>> {
    const result = new Map<string, EnterpriseState>();
    for (const chunk of chunks(usccs, 5 * CHUNK)) {
      const list = JSON.stringify(chunk);
      const [enterprises, memberships, streets, qualifications, scope] = await Promise.all([
        em.execute<
          {
            uscc: string;
            name_zh: string;
            industry_code: string;
            registered_district: string;
            contact: EnterpriseState['contact'];
            industry_tags: string[];
            registry_version: number;
          }[]
        >(
          `SELECT uscc, name_zh, industry_code, registered_district, contact, industry_tags, registry_version FROM enterprise WHERE uscc IN (SELECT jsonb_array_elements_text(?::jsonb))`,
          [list],
        ),
        em.execute<
          (Validity & { uscc: string; park_code: string; sub_park_code: string; carrier_code: string | null })[]
        >(
          `SELECT uscc, park_code, sub_park_code, carrier_code, ${DATES} FROM enterprise_membership WHERE uscc IN (SELECT jsonb_array_elements_text(?::jsonb)) ORDER BY uscc, valid_from, id`,
          [list],
        ),
        em.execute<(Validity & { uscc: string; street_code: string })[]>(
          `SELECT uscc, street_code, ${DATES} FROM enterprise_street WHERE uscc IN (SELECT jsonb_array_elements_text(?::jsonb)) ORDER BY uscc, valid_from, id`,
          [list],
        ),
        em.execute<(Validity & { uscc: string; tag: string; certificate_no: string | null })[]>(
          `SELECT uscc, tag, certificate_no, ${DATES} FROM enterprise_qualification WHERE uscc IN (SELECT jsonb_array_elements_text(?::jsonb)) ORDER BY uscc, valid_from, id`,
          [list],
        ),
        em.execute<(Validity & { uscc: string; form_id: FormId })[]>(
          `SELECT uscc, form_id, ${DATES} FROM enterprise_scope WHERE uscc IN (SELECT jsonb_array_elements_text(?::jsonb)) ORDER BY uscc, form_id, valid_from, id`,
          [list],
        ),
      ]);
      for (const row of enterprises) {
        result.set(row.uscc, {
          uscc: row.uscc,
          registryVersion: row.registry_version,
          nameZh: row.name_zh,
          industryCode: row.industry_code,
          registeredDistrict: row.registered_district,
          contact: row.contact,
          industryTags: row.industry_tags,
          memberships: [],
          streets: [],
          qualifications: [],
          scope: [],
        });
      }
      for (const m of memberships)
        result.get(m.uscc)?.memberships.push({
          parkCode: m.park_code,
          subParkCode: m.sub_park_code,
          carrierCode: m.carrier_code,
          validFrom: m.valid_from,
          validTo: m.valid_to,
        });
      for (const s of streets)
        result.get(s.uscc)?.streets.push({ streetCode: s.street_code, validFrom: s.valid_from, validTo: s.valid_to });
      for (const q of qualifications)
        result.get(q.uscc)?.qualifications.push({
          tag: q.tag,
          certificateNo: q.certificate_no,
          validFrom: q.valid_from,
          validTo: q.valid_to,
        });
      for (const s of scope)
        result.get(s.uscc)?.scope.push({ formId: s.form_id, validFrom: s.valid_from, validTo: s.valid_to });
    }
    return result;
  }

  /** Which of these names enterprises already carry, and which enterprise carries each. */
  async nameHolders(em: EntityManager, names: readonly string[]): Promise<Map<string, string>> {
    const holders = new Map<string, string>();
    for (const chunk of chunks(names, 5 * CHUNK)) {
      const rows = await em.execute<{ uscc: string; name_zh: string }[]>(
        'SELECT uscc, name_zh FROM enterprise WHERE name_zh IN (SELECT jsonb_array_elements_text(?::jsonb))',
        [JSON.stringify(chunk)],
      );
      for (const row of rows) holders.set(row.name_zh, row.uscc);
    }
    return holders;
  }

  /**
   * Serialises roster imports until the transaction ends: each locks what it changes, but two files creating
   * the same USCC would collide.
   */
  async lockImports(em: EntityManager): Promise<void> {
    await em.execute('SELECT pg_advisory_xact_lock(hashtext(?))', [IMPORT_LOCK_KEY]);
  }

  /** Locks the enterprises about to change, in one order so that two imports cannot deadlock. */
  async lock(em: EntityManager, usccs: readonly string[]): Promise<void> {
    for (const chunk of chunks([...usccs].sort(), 5 * CHUNK)) {
      await em.execute(
        'SELECT uscc FROM enterprise WHERE uscc IN (SELECT jsonb_array_elements_text(?::jsonb)) ORDER BY uscc FOR UPDATE',
        [JSON.stringify(chunk)],
      );
    }
  }

  /** Inserts new enterprises with version 0 (publish makes it 1), their membership, street, qualifications and scope. */
  async insert(em: EntityManager, inputs: readonly EnterpriseInput[]): Promise<void> {
    await this.insertRows(
      em,
      `INSERT INTO enterprise (uscc, name_zh, industry_code, registered_district, contact, industry_tags, registry_version)
       SELECT uscc, name_zh, industry_code, registered_district, contact, ARRAY(SELECT jsonb_array_elements_text(industry_tags)), 0
         FROM jsonb_to_recordset(?::jsonb) AS e(uscc text, name_zh text, industry_code text, registered_district text, contact jsonb, industry_tags jsonb)`,
      inputs.map((value) => ({
        uscc: value.uscc,
        name_zh: value.nameZh,
        industry_code: value.industryCode,
        registered_district: value.registeredDistrict,
        contact: value.contact,
        industry_tags: value.industryTags ?? [],
      })),
    );
    await this.insertMemberships(
      em,
      inputs.map((value) => ({
        uscc: value.uscc,
        validFrom: value.validFrom,
        parkCode: value.parkCode,
        subParkCode: value.subParkCode,
        carrierCode: value.carrierCode ?? null,
      })),
    );
    await this.insertStreets(
      em,
      inputs.map((value) => ({ uscc: value.uscc, validFrom: value.validFrom, streetCode: value.streetCode })),
    );
    await this.insertQualifications(
      em,
      inputs.flatMap((value) => (value.qualifications ?? []).map((q) => ({ uscc: value.uscc, ...q }))),
    );
    await this.insertScope(
      em,
      inputs.flatMap((value) => (value.scope ?? []).map((s) => ({ uscc: value.uscc, ...s }))),
    );
  }

  /**
   * Sets name, industry, district, contact and industry tags. Names are unique, so renamed enterprises first
   * get a placeholder: two enterprises may swap names, or one may take a name another gives up, in one import.
   */
  async updateDetails(em: EntityManager, rows: readonly DetailValues[], renamed: readonly string[]): Promise<void> {
    for (const chunk of chunks(renamed, 5 * CHUNK)) {
      await em.execute(
        `UPDATE enterprise SET name_zh = '#import#' || uscc WHERE uscc IN (SELECT jsonb_array_elements_text(?::jsonb))`,
        [JSON.stringify(chunk)],
      );
    }
    await this.insertRows(
      em,
      `UPDATE enterprise e SET name_zh = r.name_zh, industry_code = r.industry_code, registered_district = r.registered_district, contact = r.contact,
              industry_tags = CASE WHEN r.industry_tags IS NULL THEN e.industry_tags ELSE ARRAY(SELECT jsonb_array_elements_text(r.industry_tags)) END
         FROM jsonb_to_recordset(?::jsonb) AS r(uscc text, name_zh text, industry_code text, registered_district text, contact jsonb, industry_tags jsonb)
        WHERE e.uscc = r.uscc`,
      rows.map((row) => ({
        uscc: row.uscc,
        name_zh: row.nameZh,
        industry_code: row.industryCode,
        registered_district: row.registeredDistrict,
        contact: row.contact,
        industry_tags: row.industryTags ?? null,
      })),
    );
  }

  /** Effective-dated change, the rule of `supersede` (effective-dated.ts): the open membership ends the day before, the new one opens. */
  async replaceMemberships(
    em: EntityManager,
    rows: readonly (MembershipValues & { uscc: string; validFrom: string })[],
  ): Promise<void> {
    await this.closeOpen(em, 'enterprise_membership', rows);
    await this.insertMemberships(em, rows);
  }

  async replaceStreets(
    em: EntityManager,
    rows: readonly { uscc: string; validFrom: string; streetCode: string }[],
  ): Promise<void> {
    await this.closeOpen(em, 'enterprise_street', rows);
    await this.insertStreets(em, rows);
  }

  /** Qualification and scope records are listed in full by the file: the listed records replace the enterprise's. */
  async replaceQualifications(
    em: EntityManager,
    usccs: readonly string[],
    rows: readonly QualificationRow[],
  ): Promise<void> {
    await this.deleteAll(em, 'enterprise_qualification', usccs);
    await this.insertQualifications(em, rows);
  }

  async replaceScope(em: EntityManager, usccs: readonly string[], rows: readonly ScopeRow[]): Promise<void> {
    await this.deleteAll(em, 'enterprise_scope', usccs);
    await this.insertScope(em, rows);
  }

  /** Bumps the registry version of each changed enterprise and records a history row with its new state; returns the states. */
  async publish(
    em: EntityManager,
    changes: ReadonlyMap<string, string>,
    changedBy: string,
  ): Promise<EnterpriseState[]> {
    const usccs = [...changes.keys()];
    for (const chunk of chunks(usccs, 5 * CHUNK)) {
      await em.execute(
        'UPDATE enterprise SET registry_version = registry_version + 1, updated_at = now() WHERE uscc IN (SELECT jsonb_array_elements_text(?::jsonb))',
        [JSON.stringify(chunk)],
      );
    }
    const states = await this.states(em, usccs);
    const published = usccs.map((uscc) => states.get(uscc)!);
    await this.insertRows(
      em,
      `INSERT INTO enterprise_history (uscc, registry_version, change, changed_by, state)
       SELECT uscc, registry_version, change, changed_by, state
         FROM jsonb_to_recordset(?::jsonb) AS h(uscc text, registry_version int, change text, changed_by text, state jsonb)`,
      published.map((state) => ({
        uscc: state.uscc,
        registry_version: state.registryVersion,
        change: changes.get(state.uscc),
        changed_by: changedBy,
        state,
      })),
    );
    return published;
  }

  private async closeOpen(
    em: EntityManager,
    table: 'enterprise_membership' | 'enterprise_street',
    rows: readonly { uscc: string; validFrom: string }[],
  ): Promise<void> {
    for (const chunk of chunks(rows, 5 * CHUNK)) {
      const json = JSON.stringify(chunk.map((row) => ({ uscc: row.uscc, valid_from: row.validFrom })));
      await em.execute(
        `UPDATE ${table} t SET valid_to = r.valid_from - 1 FROM jsonb_to_recordset(?::jsonb) AS r(uscc text, valid_from date)
          WHERE t.uscc = r.uscc AND t.valid_to IS NULL AND t.valid_from < r.valid_from`,
        [json],
      );
      // A row opened the same day is superseded outright rather than left with an empty validity.
      await em.execute(
        `DELETE FROM ${table} t USING jsonb_to_recordset(?::jsonb) AS r(uscc text, valid_from date)
          WHERE t.uscc = r.uscc AND t.valid_to IS NULL AND t.valid_from >= r.valid_from`,
        [json],
      );
    }
  }

  private async deleteAll(
    em: EntityManager,
    table: 'enterprise_qualification' | 'enterprise_scope',
    usccs: readonly string[],
  ): Promise<void> {
    for (const chunk of chunks(usccs, 5 * CHUNK)) {
      await em.execute(`DELETE FROM ${table} WHERE uscc IN (SELECT jsonb_array_elements_text(?::jsonb))`, [
        JSON.stringify(chunk),
      ]);
    }
  }

  private insertMemberships(
    em: EntityManager,
    rows: readonly (MembershipValues & { uscc: string; validFrom: string })[],
  ): Promise<void> {
    return this.insertRows(
      em,
      `INSERT INTO enterprise_membership (uscc, park_code, sub_park_code, carrier_code, valid_from)
       SELECT uscc, park_code, sub_park_code, carrier_code, valid_from
         FROM jsonb_to_recordset(?::jsonb) AS m(uscc text, park_code text, sub_park_code text, carrier_code text, valid_from date)`,
      rows.map((row) => ({
        uscc: row.uscc,
        park_code: row.parkCode,
        sub_park_code: row.subParkCode,
        carrier_code: row.carrierCode,
        valid_from: row.validFrom,
      })),
    );
  }

  private insertStreets(
    em: EntityManager,
    rows: readonly { uscc: string; validFrom: string; streetCode: string }[],
  ): Promise<void> {
    return this.insertRows(
      em,
      `INSERT INTO enterprise_street (uscc, street_code, valid_from)
       SELECT uscc, street_code, valid_from FROM jsonb_to_recordset(?::jsonb) AS s(uscc text, street_code text, valid_from date)`,
      rows.map((row) => ({ uscc: row.uscc, street_code: row.streetCode, valid_from: row.validFrom })),
    );
  }

  private insertQualifications(em: EntityManager, rows: readonly QualificationRow[]): Promise<void> {
    return this.insertRows(
      em,
      `INSERT INTO enterprise_qualification (uscc, tag, certificate_no, valid_from, valid_to)
       SELECT uscc, tag, certificate_no, valid_from, valid_to
         FROM jsonb_to_recordset(?::jsonb) AS q(uscc text, tag text, certificate_no text, valid_from date, valid_to date)`,
      rows.map((row) => ({
        uscc: row.uscc,
        tag: row.tag,
        certificate_no: row.certificateNo ?? null,
        valid_from: row.validFrom,
        valid_to: row.validTo ?? null,
      })),
    );
  }

  private insertScope(em: EntityManager, rows: readonly ScopeRow[]): Promise<void> {
    return this.insertRows(
      em,
      `INSERT INTO enterprise_scope (uscc, form_id, valid_from, valid_to)
       SELECT uscc, form_id, valid_from, valid_to FROM jsonb_to_recordset(?::jsonb) AS s(uscc text, form_id text, valid_from date, valid_to date)`,
      rows.map((row) => ({
        uscc: row.uscc,
        form_id: row.formId,
        valid_from: row.validFrom,
        valid_to: row.validTo ?? null,
      })),
    );
  }

  private async insertRows(em: EntityManager, sql: string, rows: readonly object[]): Promise<void> {
    // Row order is kept, so ids follow the file (states list same-day rows by id).
    for (const chunk of chunks(rows, CHUNK)) await em.execute(sql, [JSON.stringify(chunk)]);
  }
}

export interface QualificationRow {
  readonly uscc: string;
  readonly tag: string;
  readonly validFrom: string;
  readonly validTo?: string | null;
  readonly certificateNo?: string | null;
}

export interface ScopeRow {
  readonly uscc: string;
  readonly formId: string;
  readonly validFrom: string;
  readonly validTo?: string | null;
}

type Validity = { valid_from: string; valid_to: string | null };

const DATES = `to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to`;

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
