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

/** The fields PATCH /v1/enterprises/{uscc} may change; absent ones stay as they are. */
export interface EnterpriseChanges {
  nameZh?: string;
  industryCode?: string;
  contact?: { readonly name: string; readonly phone: string; readonly email: string };
  industryTags?: readonly string[];
}

/** Single-enterprise changes of the roster tables; reads and bulk writes are in EnterpriseBatchRepository. */
@Injectable()
export class EnterpriseRepository {
  async lock(em: EntityManager, uscc: string): Promise<EnterpriseRow | undefined> {
    const [row] = await em.execute<EnterpriseRow[]>('SELECT * FROM enterprise WHERE uscc = ? FOR UPDATE', [uscc]);
    return row;
  }

  /** The enterprise with this USCC or, failing that, this name, if any. */
  async usccOrNameHolder(em: EntityManager, uscc: string, name: string): Promise<string | undefined> {
    const [row] = await em.execute<{ uscc: string }[]>('SELECT uscc FROM enterprise WHERE uscc = ? OR name_zh = ?', [
      uscc,
      name,
    ]);
    return row?.uscc;
  }

  async update(em: EntityManager, uscc: string, changes: EnterpriseChanges): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [];
    if (changes.nameZh !== undefined) {
      sets.push('name_zh = ?');
      params.push(changes.nameZh);
    }
    if (changes.industryCode !== undefined) {
      sets.push('industry_code = ?');
      params.push(changes.industryCode);
    }
    if (changes.contact !== undefined) {
      sets.push('contact = ?::jsonb');
      params.push(JSON.stringify(changes.contact));
    }
    if (changes.industryTags !== undefined) {
      sets.push('industry_tags = ARRAY(SELECT jsonb_array_elements_text(?::jsonb))');
      params.push(JSON.stringify(changes.industryTags));
    }
    if (sets.length === 0) return;
    await em.execute(`UPDATE enterprise SET ${sets.join(', ')} WHERE uscc = ?`, [...params, uscc]);
  }

  async insertQualification(
    em: EntityManager,
    row: { uscc: string; tag: string; certificateNo: string | null; validFrom: string; validTo: string | null },
  ): Promise<void> {
    await em.execute(
      'INSERT INTO enterprise_qualification (uscc, tag, certificate_no, valid_from, valid_to) VALUES (?, ?, ?, ?, ?)',
      [row.uscc, row.tag, row.certificateNo, row.validFrom, row.validTo],
    );
  }

  /** The other enterprise that already has this name, if any. */
  async nameHolder(em: EntityManager, name: string, except: string): Promise<string | undefined> {
    const [row] = await em.execute<{ uscc: string }[]>('SELECT uscc FROM enterprise WHERE name_zh = ? AND uscc <> ?', [
      name,
      except,
    ]);
    return row?.uscc;
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
