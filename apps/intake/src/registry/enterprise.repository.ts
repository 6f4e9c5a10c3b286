import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EnterpriseChanged } from '@huoju/contracts';

/** The full roster state of one enterprise: what registry.enterprise-changed.v1 carries. */
export type EnterpriseState = Omit<EnterpriseChanged, 'changedAt'>;

interface EnterpriseRow {
  uscc: string;
  name_zh: string;
  industry_code: string;
  registered_district: string;
  contact: { name: string; phone: string; email: string };
  industry_tags: string[];
  registry_version: number;
}

type Validity = { valid_from: string; valid_to: string | null };

/** SQL access to the roster tables. Dates are returned as YYYY-MM-DD text (no time zone games). */
@Injectable()
export class EnterpriseRepository {
  async lock(em: EntityManager, uscc: string): Promise<EnterpriseRow | undefined> {
    const [row] = await em.execute<EnterpriseRow[]>('SELECT * FROM enterprise WHERE uscc = ? FOR UPDATE', [uscc]);
    return row;
  }

  async state(em: EntityManager, uscc: string): Promise<EnterpriseState | undefined> {
    const [row] = await em.execute<EnterpriseRow[]>('SELECT * FROM enterprise WHERE uscc = ?', [uscc]);
    if (!row) return undefined;
    const [memberships, streets, qualifications, scope] = await Promise.all([
      em.execute<(Validity & { park_code: string; sub_park_code: string; carrier_code: string | null })[]>(
        `SELECT park_code, sub_park_code, carrier_code, ${dates} FROM enterprise_membership WHERE uscc = ? ORDER BY valid_from, id`,
        [uscc],
      ),
      em.execute<(Validity & { street_code: string })[]>(
        `SELECT street_code, ${dates} FROM enterprise_street WHERE uscc = ? ORDER BY valid_from, id`,
        [uscc],
      ),
      em.execute<(Validity & { tag: string; certificate_no: string | null })[]>(
        `SELECT tag, certificate_no, ${dates} FROM enterprise_qualification WHERE uscc = ? ORDER BY valid_from, id`,
        [uscc],
      ),
      em.execute<(Validity & { form_id: 'torch-monthly' | 'torch-annual' })[]>(
        `SELECT form_id, ${dates} FROM enterprise_scope WHERE uscc = ? ORDER BY form_id, valid_from, id`,
        [uscc],
      ),
    ]);
    return {
      uscc: row.uscc,
      registryVersion: row.registry_version,
      nameZh: row.name_zh,
      industryCode: row.industry_code,
      registeredDistrict: row.registered_district,
      contact: row.contact,
      industryTags: row.industry_tags,
      memberships: memberships.map((m) => ({
        parkCode: m.park_code,
        subParkCode: m.sub_park_code,
        carrierCode: m.carrier_code,
        validFrom: m.valid_from,
        validTo: m.valid_to,
      })),
      streets: streets.map((s) => ({ streetCode: s.street_code, validFrom: s.valid_from, validTo: s.valid_to })),
      qualifications: qualifications.map((q) => ({
        tag: q.tag,
        certificateNo: q.certificate_no,
        validFrom: q.valid_from,
        validTo: q.valid_to,
      })),
      scope: scope.map((s) => ({ formId: s.form_id, validFrom: s.valid_from, validTo: s.valid_to })),
    };
  }

  /** Closes the open row of an effective-dated table the day before `from` and opens a new one. */
  async replaceOpen(
    em: EntityManager,
    table: EffectiveTable,
    uscc: string,
    match: Record<string, string>,
    values: Record<string, string | null>,
    from: string,
  ): Promise<void> {
    const matchSql = Object.keys(match)
      .map((column) => ` AND ${column} = ?`)
      .join('');
    await em.execute(
      `UPDATE ${table} SET valid_to = (?::date - 1) WHERE uscc = ?${matchSql} AND valid_to IS NULL AND valid_from < ?::date`,
      [from, uscc, ...Object.values(match), from],
    );
    // A row opened the same day is superseded outright rather than left with an empty validity.
    await em.execute(`DELETE FROM ${table} WHERE uscc = ?${matchSql} AND valid_to IS NULL AND valid_from >= ?::date`, [
      uscc,
      ...Object.values(match),
      from,
    ]);
    const columns = ['uscc', ...Object.keys(values), 'valid_from'];
    await em.execute(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, [
      uscc,
      ...Object.values(values),
      from,
    ]);
  }

  async closeOpen(
    em: EntityManager,
    table: EffectiveTable,
    uscc: string,
    match: Record<string, string>,
    to: string,
  ): Promise<number> {
    const matchSql = Object.keys(match)
      .map((column) => ` AND ${column} = ?`)
      .join('');
    const result = await em.execute<{ affectedRows?: number }>(
      `UPDATE ${table} SET valid_to = ?::date WHERE uscc = ?${matchSql} AND valid_to IS NULL AND valid_from <= ?::date`,
      [to, uscc, ...Object.values(match), to],
      'run',
    );
    return result.affectedRows ?? 0;
  }

  async bumpVersion(em: EntityManager, uscc: string): Promise<number> {
    const [row] = await em.execute<{ registry_version: number }[]>(
      'UPDATE enterprise SET registry_version = registry_version + 1, updated_at = now() WHERE uscc = ? RETURNING registry_version',
      [uscc],
    );
    return row!.registry_version;
  }

  async recordHistory(em: EntityManager, state: EnterpriseState, change: string, changedBy: string): Promise<void> {
    await em.execute(
      'INSERT INTO enterprise_history (uscc, registry_version, change, changed_by, state) VALUES (?, ?, ?, ?, ?::jsonb)',
      [state.uscc, state.registryVersion, change, changedBy, JSON.stringify(state)],
    );
  }

  async history(
    em: EntityManager,
    uscc: string,
  ): Promise<
    { registryVersion: number; change: string; changedBy: string; changedAt: string; state: EnterpriseState }[]
  > {
    const rows = await em.execute<
      { registry_version: number; change: string; changed_by: string; changed_at: Date; state: EnterpriseState }[]
    >(
      'SELECT registry_version, change, changed_by, changed_at, state FROM enterprise_history WHERE uscc = ? ORDER BY registry_version',
      [uscc],
    );
    return rows.map((row) => ({
      registryVersion: row.registry_version,
      change: row.change,
      changedBy: row.changed_by,
      changedAt: new Date(row.changed_at).toISOString(),
      state: row.state,
    }));
  }
}

export type EffectiveTable =
  | 'enterprise_membership'
  | 'enterprise_street'
  | 'enterprise_qualification'
  | 'enterprise_scope';

const dates = `to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to`;
