import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ScopeFilter } from '@huoju/platform';

/** The optional filters of a roster search, as GET /v1/enterprises takes them. */
export interface RosterFilters {
  readonly park?: string;
  readonly subPark?: string;
  readonly street?: string;
  readonly tag?: string;
  readonly industry?: string;
  readonly form?: string;
  readonly q?: string;
}

/** A roster search: the caller's scope, the day memberships are read on, and the optional filters. */
export interface EnterpriseSearch extends RosterFilters {
  readonly scope: ScopeFilter;
  /** YYYY-MM-DD */
  readonly on: string;
}

/** The roster search (GET /v1/enterprises): one page of USCCs in order, and how many match in all. */
@Injectable()
export class EnterpriseSearchQuery {
  async page(
    em: EntityManager,
    filter: EnterpriseSearch,
    page: number,
    pageSize: number,
  ): Promise<{ total: number; usccs: string[] }> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const membershipOn = `EXISTS (SELECT 1 FROM enterprise_membership m WHERE m.uscc = e.uscc AND m.valid_from <= ?::date AND (m.valid_to IS NULL OR m.valid_to >= ?::date)`;
    const streetOn = `EXISTS (SELECT 1 FROM enterprise_street s WHERE s.uscc = e.uscc AND s.valid_from <= ?::date AND (s.valid_to IS NULL OR s.valid_to >= ?::date)`;
    const { scope, on } = filter;
    if (scope.kind === 'park') {
      conditions.push(`${membershipOn} AND m.park_code IN (SELECT jsonb_array_elements_text(?::jsonb)))`);
      params.push(on, on, JSON.stringify(scope.codes));
    }
    if (scope.kind === 'street') {
      conditions.push(`${streetOn} AND s.street_code IN (SELECT jsonb_array_elements_text(?::jsonb)))`);
      params.push(on, on, JSON.stringify(scope.codes));
    }
    if (scope.kind === 'uscc') {
      conditions.push('e.uscc IN (SELECT jsonb_array_elements_text(?::jsonb))');
      params.push(JSON.stringify(scope.codes));
    }
    if (filter.park) {
      conditions.push(`${membershipOn} AND m.park_code = ?)`);
      params.push(on, on, filter.park);
    }
    if (filter.subPark) {
      conditions.push(`${membershipOn} AND m.sub_park_code = ?)`);
      params.push(on, on, filter.subPark);
    }
    if (filter.street) {
      conditions.push(`${streetOn} AND s.street_code = ?)`);
      params.push(on, on, filter.street);
    }
    if (filter.tag) {
      conditions.push(
        `(? = ANY (e.industry_tags) OR EXISTS (SELECT 1 FROM enterprise_qualification q WHERE q.uscc = e.uscc AND q.tag = ? AND q.valid_from <= ?::date AND (q.valid_to IS NULL OR q.valid_to >= ?::date)))`,
      );
      params.push(filter.tag, filter.tag, on, on);
    }
    if (filter.industry) {
      conditions.push(`(e.industry_code LIKE ? OR substr(e.industry_code, 2) LIKE ?)`);
      params.push(`${filter.industry}%`, `${filter.industry}%`);
    }
    if (filter.form) {
      conditions.push(
        `EXISTS (SELECT 1 FROM enterprise_scope sc WHERE sc.uscc = e.uscc AND sc.form_id = ? AND sc.valid_from <= ?::date AND (sc.valid_to IS NULL OR sc.valid_to >= ?::date))`,
      );
      params.push(filter.form, on, on);
    }
    if (filter.q) {
      conditions.push('(e.name_zh LIKE ? OR e.uscc LIKE ?)');
      params.push(`%${filter.q}%`, `${filter.q.toUpperCase()}%`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const [counted] = await em.execute<{ total: string }[]>(
      `SELECT count(*) AS total FROM enterprise e ${where}`,
      params,
    );
    const rows = await em.execute<{ uscc: string }[]>(
      `SELECT e.uscc FROM enterprise e ${where} ORDER BY e.uscc LIMIT ? OFFSET ?`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { total: Number(counted?.total ?? 0), usccs: rows.map((row) => row.uscc) };
  }
}
