import type { GeneratedEnterprise } from './roster.generator';

/** The registry API's body for a generated enterprise (membership and street from the scope's start). */
export function enterpriseBody(enterprise: GeneratedEnterprise, validFrom = '2025-01-01') {
  return { ...enterprise, validFrom };
}
