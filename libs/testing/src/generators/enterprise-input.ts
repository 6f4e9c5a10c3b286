import type { GeneratedEnterprise } from './roster.generator';

/** The registry API's body for a generated enterprise (membership and street from the scope's start). */
export function enterpriseBody(enterprise: GeneratedEnterprise, validFrom = '2025-01-01') {
  return { ...enterprise, validFrom };
}

/** Whether a generated enterprise must file a form on a day (its scope covers the date). */
export function inScopeOn(
  enterprise: GeneratedEnterprise,
  formId: 'torch-monthly' | 'torch-annual',
  date: string,
): boolean {
  return enterprise.scope.some((s) => s.formId === formId && s.validFrom <= date && (!s.validTo || s.validTo >= date));
}
