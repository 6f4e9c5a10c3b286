import { Injectable } from '@nestjs/common';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { EnterpriseChanged } from '@huoju/contracts';
import { Enterprise, EnterpriseMembership, EnterpriseStreet } from './enterprise.entity';

/** The full roster state of one enterprise: what registry.enterprise-changed.v1 carries. */
export type EnterpriseState = Omit<EnterpriseChanged, 'changedAt'>;

/** The fields PATCH /v1/enterprises/{uscc} may change; absent ones stay as they are. */
export interface EnterpriseChanges {
  nameZh?: string;
  industryCode?: string;
  contact?: { readonly name: string; readonly phone: string; readonly email: string };
  industryTags?: readonly string[];
}

/**
 * One enterprise's changes: the enterprise and its park and street links as entities in the caller's unit
 * of work (written when it flushes); qualifications, form scope and history in SQL. Whole states and bulk
 * writes are in EnterpriseBatchRepository.
 */
@Injectable()
export class EnterpriseRepository {
  /** The enterprise, locked until the transaction ends: every change of one enterprise starts here. */
  lock(em: EntityManager, uscc: string): Promise<Enterprise | null> {
    return em.findOne(Enterprise, { uscc }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** The enterprise with this USCC or, failing that, this name, if any. */
  async usccOrNameHolder(em: EntityManager, uscc: string, name: string): Promise<string | undefined> {
    const holders = await em.find(Enterprise, { $or: [{ uscc }, { nameZh: name }] }, { fields: ['uscc'] });
    return (holders.find((holder) => holder.uscc === uscc) ?? holders[0])?.uscc;
  }

  /** The other enterprise that already has this name, if any. */
  async nameHolder(em: EntityManager, name: string, except: string): Promise<string | undefined> {
    const holder = await em.findOne(Enterprise, { nameZh: name, uscc: { $ne: except } }, { fields: ['uscc'] });
    return holder?.uscc;
  }

  /** The park memberships not yet ended, oldest first. */
  openMemberships(em: EntityManager, uscc: string): Promise<EnterpriseMembership[]> {
    return em.find(EnterpriseMembership, { uscc, validTo: null }, { orderBy: { id: 'asc' } });
  }

  /** The street links not yet ended, oldest first. */
  openStreets(em: EntityManager, uscc: string): Promise<EnterpriseStreet[]> {
    return em.find(EnterpriseStreet, { uscc, validTo: null }, { orderBy: { id: 'asc' } });
  }

  addMembership(
    em: EntityManager,
    link: Pick<EnterpriseMembership, 'uscc' | 'parkCode' | 'subParkCode' | 'carrierCode' | 'validFrom'>,
  ): void {
    em.create(EnterpriseMembership, { ...link, validTo: null });
  }

  addStreet(em: EntityManager, link: Pick<EnterpriseStreet, 'uscc' | 'streetCode' | 'validFrom'>): void {
    em.create(EnterpriseStreet, { ...link, validTo: null });
  }

  /** Removes a link superseded before it began (see `supersede`). */
  remove(em: EntityManager, link: EnterpriseMembership | EnterpriseStreet): void {
    em.remove(link);
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

/** The effective-dated tables still changed in SQL here (membership and street go through their entities). */
export type EffectiveTable = 'enterprise_qualification' | 'enterprise_scope';
