import { forbidden } from '../http/problem';
import type { Principal, Role } from './principal';

/** What a role's scope entries are: USCCs, 9-digit street/town codes or park codes; nothing = everything. */
export type ScopeKind = 'uscc' | 'street' | 'park';

/**
 * What a principal may see, as one value every service turns into its check and its SQL filter:
 * `all` for the commission and admins, else the codes of its kind. Membership is judged on a date —
 * a filing's period end for filings, today for the roster — by the repository that applies the filter.
 */
export type ScopeFilter = { readonly kind: 'all' } | { readonly kind: ScopeKind; readonly codes: readonly string[] };

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
 * A query that names a USCC, street or park of the caller's own kind outside its scope is refused with
 * 403 — it is not answered with an empty page, which would hide that the caller asked for another's data.
 */
export function assertQueryInScope(principal: Principal, requested: Partial<Record<ScopeKind, string>>): void {
  const filter = scopeFilter(principal);
  if (filter.kind === 'all') return;
  const value = requested[filter.kind];
  if (value !== undefined && value !== '' && !filter.codes.includes(value))
    throw forbidden(`The ${filter.kind} ${value.slice(0, 40)} is outside your scope.`);
}
