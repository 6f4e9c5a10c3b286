import { shanghaiDate } from '@huoju/domain';
import type { EnterpriseState } from './enterprise.repository';

/**
 * The park whose team manages an enterprise: by the membership valid today (a move recorded for a later
 * date does not hand it over early), else the open one, else the last.
 */
export function managingPark(state: Pick<EnterpriseState, 'memberships'>, now = new Date()): string | undefined {
  const today = shanghaiDate(now);
  const validToday = (m: { validFrom: string; validTo: string | null }) =>
    m.validFrom <= today && (m.validTo === null || m.validTo >= today);
  return (
    state.memberships.find(validToday) ??
    state.memberships.find((m) => m.validTo === null) ??
    state.memberships[state.memberships.length - 1]
  )?.parkCode;
}
