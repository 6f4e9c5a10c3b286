import type { EntityManager } from '@mikro-orm/postgresql';
import type { EnterpriseFilter } from '@huoju/domain';
import { normalizeNumeric } from '../aggregates/aggregates.service';

/** Whose figures a target's actual sums: a park (or the zone) on a day, in a basis form and period. */
export interface TargetScope {
  readonly park: string | null;
  readonly end: string;
  readonly formId: string;
  readonly period: string;
}

/** Enterprises attributed to the park (or any park) on the day, matching the filter. */
function members(scope: TargetScope, filter: EnterpriseFilter | undefined): { sql: string; params: unknown[] } {
  const conditions = ['m.valid_from <= ?::date', '(m.valid_to IS NULL OR m.valid_to >= ?::date)'];
  const params: unknown[] = [scope.end, scope.end];
  if (scope.park) {
    conditions.push('m.park_code = ?');
    params.push(scope.park);
  }
  if (filter?.industryTags?.length) {
    conditions.push('e.industry_tags && ARRAY(SELECT jsonb_array_elements_text(?::jsonb))');
    params.push(JSON.stringify(filter.industryTags));
  }
  if (filter?.qualificationTags?.length) {
    conditions.push(`EXISTS (SELECT 1 FROM roster_qualification q WHERE q.uscc = e.uscc AND q.tag IN (SELECT jsonb_array_elements_text(?::jsonb))
                       AND q.valid_from <= ?::date AND (q.valid_to IS NULL OR q.valid_to >= ?::date))`);
    params.push(JSON.stringify(filter.qualificationTags), scope.end, scope.end);
  }
  if (filter?.industryPrefixes?.length) {
    conditions.push(
      `EXISTS (SELECT 1 FROM jsonb_array_elements_text(?::jsonb) p WHERE substr(e.industry_code, 2) LIKE p || '%')`,
    );
    params.push(JSON.stringify(filter.industryPrefixes));
  }
  return {
    sql: `SELECT DISTINCT e.uscc FROM roster_membership m JOIN roster_enterprise e ON e.uscc = m.uscc WHERE ${conditions.join(' AND ')}`,
    params,
  };
}

/**
 * The forms the action plan's targets are measured on (行动方案 targets are Torch indicators): literals by
 * the plans' own definition, not a property any other form could share.
 */
export const TARGET_BASIS_FORMS = { annual: 'torch-annual', monthly: 'torch-monthly' } as const;

/** The annual report of the year when filed, else the latest month of the year with filings. */
export async function targetBasis(em: EntityManager, year: number): Promise<{ formId: string; period: string } | null> {
  const { annual: annualForm, monthly: monthlyForm } = TARGET_BASIS_FORMS;
  const [annual] = await em.execute('SELECT 1 FROM fact WHERE form_id = ? AND period = ? LIMIT 1', [
    annualForm,
    String(year),
  ]);
  if (annual) return { formId: annualForm, period: String(year) };
  const [month] = await em.execute<{ period: string }[]>(
    'SELECT max(period) AS period FROM fact WHERE form_id = ? AND period LIKE ?',
    [monthlyForm, `${year}-%`],
  );
  return month?.period ? { formId: monthlyForm, period: month.period } : null;
}

export async function sumOfIndicator(
  em: EntityManager,
  scope: TargetScope,
  indicator: string,
  filter: EnterpriseFilter | undefined,
): Promise<string | null> {
  const { sql, params } = members(scope, filter);
  const [row] = await em.execute<{ total: string | null }[]>(
    `SELECT sum(f.value)::text AS total FROM fact f WHERE f.form_id = ? AND f.period = ? AND f.indicator = ? AND f.uscc IN (${sql})`,
    [scope.formId, scope.period, indicator, ...params],
  );
  // No matching enterprise filed: the sum is zero, not unknown (the basis period has filings).
  return row?.total === null || row?.total === undefined ? '0' : normalizeNumeric(row.total);
}

export async function countMembers(em: EntityManager, scope: TargetScope, filter: EnterpriseFilter): Promise<number> {
  const { sql, params } = members(scope, filter);
  const [row] = await em.execute<{ n: string }[]>(`SELECT count(*) AS n FROM (${sql}) m`, params);
  return Number(row?.n ?? 0);
}
