import { ProblemException } from '../http/problem';
import type { Principal, Role } from './principal';

/** What a role's scope entries are: USCCs, 9-digit street/town codes or park codes; nothing = everything. */
export type ScopeKind = 'uscc' | 'street' | 'park';

/**
 * What a principal may see, as one value every service turns into its check and its SQL filter:
 * `all` for the commission and admins, else the codes of its kind. Membership is judged on a date —
 * a filing's period end for filings, today for the roster — by the repository that applies the filter.
 */
export type ScopeFilter = { readonly kind: 'all' } | { readonly kind: ScopeKind; readonly codes: readonly string[] };

const KIND_ZH: Record<ScopeKind, string> = { uscc: '企业', street: '街镇', park: '园区' };

export function scopeKindOf(role: Role): ScopeKind | 'all' {
  switch (role) {
    case 'enterprise':
      return 'uscc';
    case 'street':
      return 'street';
    case 'park':
      return 'park';
    case 'commission':
    case 'admin':
      return 'all';
  }
}

export function scopeFilter(principal: Principal): ScopeFilter {
  const kind = scopeKindOf(principal.role);
  return kind === 'all' ? { kind } : { kind, codes: principal.scope };
}

/**
 * Whether a code of a kind lies inside the principal's scope, for resources already attributed to one
 * code (a figure's park, an export's park, a webhook's street). `all` (the whole zone) is inside only
 * the commission's and admins' scope. Attribution by membership is the repository's job.
 */
export function isInScope(principal: Principal, kind: ScopeKind, code: string): boolean {
  const filter = scopeFilter(principal);
  if (filter.kind === 'all') return true;
  return filter.kind === kind && filter.codes.includes(code);
}

/** 403 naming the scope the caller reached for: "park PD is outside your scope", in Chinese and English. */
export function outOfScope(kind: ScopeKind | 'zone', code: string): ProblemException {
  const shown = code.slice(0, 40);
  const what = kind === 'zone' ? 'The whole zone' : `The ${kind} ${shown}`;
  const whatZh = kind === 'zone' ? '全区' : `${KIND_ZH[kind]} ${shown}`;
  return new ProblemException(
    403,
    'AUTH.FORBIDDEN',
    'Forbidden',
    `${what} is outside your scope.`,
    [],
    `${whatZh} 不在您的管辖范围内`,
    { scope: { kind, code: shown } },
  );
}

export function assertInScope(principal: Principal, kind: ScopeKind, code: string): void {
  if (!isInScope(principal, kind, code)) throw outOfScope(kind === 'park' && code === 'all' ? 'zone' : kind, code);
}

/**
 * A query that names a USCC, street or park of the caller's own kind outside its scope is refused with
 * 403 — it is not answered with an empty page, which would hide that the caller asked for another's data.
 */
export function assertQueryInScope(principal: Principal, requested: Partial<Record<ScopeKind, string>>): void {
  const filter = scopeFilter(principal);
  if (filter.kind === 'all') return;
  const value = requested[filter.kind];
  if (value !== undefined && value !== '' && !filter.codes.includes(value)) throw outOfScope(filter.kind, value);
}

/**
 * The scope a query of one axis covers (figures, compliance, exports: each row belongs to one street or
 * park): narrowed to the code it names, or all of the caller's scope when it names none. A code outside
 * the scope — of the caller's kind, or of a kind its scope cannot hold (a street team naming a park) —
 * is refused with 403 naming it. The commission and admins may narrow to anything.
 */
export function queryScope(principal: Principal, requested: Partial<Record<ScopeKind, string>>): ScopeFilter {
  const named = (['uscc', 'street', 'park'] as const)
    .map((kind) => ({ kind, code: requested[kind] }))
    .filter((entry): entry is { kind: ScopeKind; code: string } => entry.code !== undefined && entry.code !== '');
  const filter = scopeFilter(principal);
  for (const { kind, code } of named) if (!isInScope(principal, kind, code)) throw outOfScope(kind, code);
  if (filter.kind === 'all') return named[0] ? { kind: named[0].kind, codes: [named[0].code] } : filter;
  const own = named.find((entry) => entry.kind === filter.kind);
  return own ? { kind: filter.kind, codes: [own.code] } : filter;
}

/**
 * The codes of one kind a filter lets through, as a repository binds them (`IN (…)`): undefined for no
 * restriction, [] when the filter is of another kind (nothing of this kind is visible).
 */
export function scopeCodes(filter: ScopeFilter, kind: ScopeKind): readonly string[] | undefined {
  if (filter.kind === 'all') return undefined;
  return filter.kind === kind ? filter.codes : [];
}
