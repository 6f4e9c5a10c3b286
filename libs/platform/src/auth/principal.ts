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
