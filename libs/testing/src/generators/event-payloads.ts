import { createHash, randomUUID } from 'node:crypto';
import type { EnterpriseChanged, FilingSubmitted, FilingValidated } from '@huoju/contracts';
import type { GeneratedEnterprise } from './roster.generator';
import { formVersionFor, latestFormVersion } from '@huoju/domain';

/** The registry event intake would publish for a generated enterprise. */
export function enterpriseChanged(
  enterprise: GeneratedEnterprise,
  options: { registryVersion?: number; validFrom?: string; memberships?: EnterpriseChanged['memberships'] } = {},
): EnterpriseChanged {
  const validFrom = options.validFrom ?? '2025-01-01';
  return {
    uscc: enterprise.uscc,
    registryVersion: options.registryVersion ?? 1,
    nameZh: enterprise.nameZh,
    industryCode: enterprise.industryCode,
    registeredDistrict: enterprise.registeredDistrict,
    contact: enterprise.contact,
    memberships: options.memberships ?? [
      {
        parkCode: enterprise.parkCode,
        subParkCode: enterprise.subParkCode,
        carrierCode: enterprise.carrierCode ?? null,
        validFrom,
        validTo: null,
      },
    ],
    streets: [{ streetCode: enterprise.streetCode, validFrom, validTo: null }],
    qualifications: enterprise.qualifications.map((q) => ({
      tag: q.tag,
      certificateNo: q.certificateNo ?? null,
      validFrom: q.validFrom,
      validTo: q.validTo ?? null,
    })),
    industryTags: enterprise.industryTags,
    scope: enterprise.scope.map((s) => ({ formId: s.formId, validFrom: s.validFrom, validTo: s.validTo ?? null })),
    changedAt: new Date().toISOString(),
  };
}

/** A filing.submitted.v1 payload as intake would publish it. */
export function filingSubmitted(
  uscc: string,
  period: string,
  values: Record<string, string>,
  options: Partial<FilingSubmitted> = {},
): FilingSubmitted {
  const formId = options.formId ?? (period.length === 4 ? 'torch-annual' : 'torch-monthly');
  return {
    filingId: options.filingId ?? randomUUID(),
    revision: options.revision ?? 1,
    attempt: options.attempt ?? 1,
    uscc,
    formId,
    formVersion: options.formVersion ?? latestFormVersion(formId)!.version,
    period,
    values,
    explanations: options.explanations ?? [],
    contentSha256:
      options.contentSha256 ?? createHash('sha256').update(JSON.stringify({ uscc, period, values })).digest('hex'),
    receivedAt: options.receivedAt ?? new Date().toISOString(),
  };
}

/**
 * A filing.validated.v1 payload as validation would publish it: the first verdict on the first revision,
 * accepted, validated a second after it was received, unless `options` say otherwise.
 */
export function filingValidated(
  uscc: string,
  period: string,
  values: Record<string, string>,
  options: Partial<FilingValidated> = {},
): FilingValidated {
  const formId = options.formId ?? (period.length === 4 ? 'torch-annual' : 'torch-monthly');
  const form = formVersionFor(formId, period) ?? latestFormVersion(formId)!;
  const receivedAt = options.receivedAt ?? new Date().toISOString();
  return {
    filingId: randomUUID(),
    revision: 1,
    attempt: 1,
    verdict: 1,
    reason: 'submitted',
    uscc,
    formId,
    formVersion: form.version,
    ruleSetVersion: form.ruleSetVersion,
    period,
    outcome: 'accepted',
    findings: [],
    values,
    contentSha256: createHash('sha256').update(JSON.stringify({ uscc, period, values })).digest('hex'),
    receivedAt,
    validatedAt: new Date(Date.parse(receivedAt) + 1000).toISOString(),
    ...options,
  };
}
