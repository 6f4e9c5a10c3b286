import type { Principal } from '@huoju/platform';

/** Park teams export and read their own parks; the commission and admins any park or the whole zone. */
export function mayAccessPark(principal: Principal, parkCode: string): boolean {
  switch (principal.role) {
    case 'commission':
    case 'admin':
      return true;
    case 'park':
      return parkCode !== 'all' && principal.scope.includes(parkCode);
    case 'enterprise':
    case 'street':
      return false;
  }
}
