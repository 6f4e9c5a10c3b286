import { computeUsccCheckCharacter } from '@huoju/domain';
import type { EnterpriseChanged, FilingValidated } from '@huoju/contracts';

/** A valid USCC (check character computed), numbered so that USCC order is number order. */
export function uscc(n: number): string {
  const first17 = `91310115MA1G${String(n).padStart(5, '0')}`;
  return first17 + computeUsccCheckCharacter(first17);
}

export interface FixtureEnterprise {
  readonly uscc: string;
  readonly nameZh: string;
  readonly industryCode: string;
  readonly parkCode: string;
  readonly subParkCode: string;
  readonly streetCode: string;
}

export function enterpriseChanged(enterprise: FixtureEnterprise, registryVersion = 1): EnterpriseChanged {
  return {
    uscc: enterprise.uscc,
    registryVersion,
    nameZh: enterprise.nameZh,
    industryCode: enterprise.industryCode,
    registeredDistrict: enterprise.parkCode === 'PT' ? '310107' : '310115',
    contact: { name: '联系人', phone: '021-50000000', email: 'contact@example.cn' },
    memberships: [
      {
        parkCode: enterprise.parkCode,
        subParkCode: enterprise.subParkCode,
        carrierCode: null,
        validFrom: '2024-01-01',
        validTo: null,
      },
    ],
    streets: [{ streetCode: enterprise.streetCode, validFrom: '2024-01-01', validTo: null }],
    qualifications: [],
    industryTags: [],
    scope: [{ formId: 'torch-monthly', validFrom: '2024-01-01', validTo: null }],
    changedAt: '2026-01-05T02:00:00.000Z',
  };
}

let filingCounter = 0;
const filingIds = new Map<string, string>();

/** The filing id of an enterprise's filing for a period: one filing per (USCC, form, period), as intake keeps it. */
export function filingId(usccCode: string, period: string): string {
  const key = `${usccCode}/${period}`;
  let id = filingIds.get(key);
  if (!id) filingIds.set(key, (id = `00000000-0000-4000-8000-${String(++filingCounter).padStart(12, '0')}`));
  return id;
}

export interface VerdictSpec {
  readonly uscc: string;
  readonly period: string;
  readonly revision: number;
  readonly verdict?: number;
  readonly outcome: FilingValidated['outcome'];
  readonly values: Record<string, string>;
  readonly validatedAt: string;
}

/** A filing.validated.v1 payload; the receipt hash is derived from the revision so that each one differs. */
export function verdict(spec: VerdictSpec): FilingValidated {
  const id = filingId(spec.uscc, spec.period);
  return {
    filingId: id,
    revision: spec.revision,
    attempt: spec.verdict ?? 1,
    verdict: spec.verdict ?? 1,
    reason: 'submitted',
    uscc: spec.uscc,
    formId: 'torch-monthly',
    formVersion: '2026.1',
    ruleSetVersion: '2026.1',
    period: spec.period,
    outcome: spec.outcome,
    findings: [],
    values: spec.values,
    contentSha256: receiptHash(id, spec.revision),
    receivedAt: spec.validatedAt,
    validatedAt: spec.validatedAt,
  };
}

export function receiptHash(id: string, revision: number): string {
  const hex = id.replace(/-/g, '').slice(-8);
  return `${hex}${String(revision).padStart(4, '0')}`.padEnd(64, 'c');
}
