/** Who is calling, as the platform's five roles see it. */
export type Role = 'enterprise' | 'street' | 'park' | 'commission' | 'admin';
export const ROLES: readonly Role[] = ['enterprise', 'street', 'park', 'commission', 'admin'];

export interface Principal {
  /** Stable id of the caller: the API key id, or a named user. */
  readonly subject: string;
  readonly role: Role;
  /**
   * What the caller may see: USCCs for an enterprise, 9-digit street/town codes for a street team,
   * park codes for a park team; empty (everything) for the commission and admins.
   */
  readonly scope: readonly string[];
}

export function isWithinScope(principal: Principal, kind: 'uscc' | 'street' | 'park', code: string): boolean {
  switch (principal.role) {
    case 'commission':
    case 'admin':
      return true;
    case 'enterprise':
      return kind === 'uscc' && principal.scope.includes(code);
    case 'street':
      return kind === 'street' && principal.scope.includes(code);
    case 'park':
      return kind === 'park' && principal.scope.includes(code);
  }
}
