import type { FieldError } from '@huoju/platform';

/**
 * Stable problem codes of the compliance API (422 problem+json lists every one at once; scope refusals
 * are 403 AUTH.FORBIDDEN).
 * - COMPLIANCE.FORM: unknown form id.
 * - COMPLIANCE.PERIOD: the form has no such period.
 * - COMPLIANCE.SCOPE: unknown street/park code, or both street and park given.
 * - COMPLIANCE.PERIODS: the trend length is not 1–36.
 * - COMPLIANCE.FORMAT: format is not json, csv or xlsx.
 * - WEBHOOK.TARGET: not "street" or "park", or an unknown code.
 * - WEBHOOK.URL: not an absolute http(s) URL.
 * - WEBHOOK.SECRET: missing, or shorter than 16 / longer than 256 characters.
 * - WEBHOOK.NOT_FOUND: no webhook is configured for the target (404).
 */
export const ComplianceError = {
  FORM: 'COMPLIANCE.FORM',
  PERIOD: 'COMPLIANCE.PERIOD',
  SCOPE: 'COMPLIANCE.SCOPE',
  PERIODS: 'COMPLIANCE.PERIODS',
  FORMAT: 'COMPLIANCE.FORMAT',
  WEBHOOK_TARGET: 'WEBHOOK.TARGET',
  WEBHOOK_URL: 'WEBHOOK.URL',
  WEBHOOK_SECRET: 'WEBHOOK.SECRET',
  WEBHOOK_NOT_FOUND: 'WEBHOOK.NOT_FOUND',
} as const;

export function fieldError(pointer: string, code: string, messageZh: string, messageEn: string): FieldError {
  return { pointer, code, messageZh, messageEn };
}
