import type { EnterpriseInput } from './enterprise-input';
import type { EnterpriseState } from './enterprise.repository';
import type { MembershipValues } from './enterprise-batch.repository';
import type { RosterField, RosterRow } from './roster-columns';

export type DetailField = 'nameZh' | 'industryCode' | 'registeredDistrict' | 'contact' | 'industryTags';

/** What a roster row changes about an enterprise already in the roster; empty when the row matches it. */
export interface RosterChanges {
  readonly details: readonly DetailField[];
  readonly membership?: MembershipValues & { readonly validFrom: string };
  readonly street?: { readonly streetCode: string; readonly validFrom: string };
  readonly qualifications?: NonNullable<EnterpriseInput['qualifications']>;
  readonly scope?: NonNullable<EnterpriseInput['scope']>;
}

export interface DiffProblem {
  readonly field: RosterField;
  readonly code: 'IMPORT.VALID_FROM_TOO_EARLY';
  readonly messageZh: string;
  readonly messageEn: string;
  readonly remedyZh: string;
  readonly remedyEn: string;
}

/**
 * Compares a checked row with the enterprise's current state. Park membership and street change from the
 * row's validFrom (the open period ends the day before); a row naming the current park and street changes
 * nothing whatever its validFrom says. Qualifications and scope, which carry their own dates, are compared
 * as the full list of records. Parts the file does not state (absent optional columns) stay as they are.
 */
export function diffEnterprise(
  input: EnterpriseInput,
  states: RosterRow['states'],
  current: EnterpriseState,
): { changes: RosterChanges; problems: DiffProblem[] } {
  const problems: DiffProblem[] = [];
  const details: DetailField[] = [];
  if (input.nameZh !== current.nameZh) details.push('nameZh');
  if (input.industryCode !== current.industryCode) details.push('industryCode');
  if (input.registeredDistrict !== current.registeredDistrict) details.push('registeredDistrict');
  if (
    input.contact.name !== current.contact.name ||
    input.contact.phone !== current.contact.phone ||
    input.contact.email !== current.contact.email
  )
    details.push('contact');
  if (states.industryTags && !sameSet(input.industryTags ?? [], current.industryTags)) details.push('industryTags');

  const openMembership = current.memberships.find((m) => m.validTo === null);
  const carrierCode = states.carrierCode
    ? (input.carrierCode ?? null)
    : openMembership?.parkCode === input.parkCode
      ? openMembership.carrierCode
      : null;
  let membership: RosterChanges['membership'];
  if (
    !openMembership ||
    openMembership.parkCode !== input.parkCode ||
    openMembership.subParkCode !== input.subParkCode ||
    openMembership.carrierCode !== carrierCode
  ) {
    const problem = tooEarly('validFrom', input.validFrom, current.memberships, '园区归属', 'park membership');
    if (problem) problems.push(problem);
    membership = { parkCode: input.parkCode, subParkCode: input.subParkCode, carrierCode, validFrom: input.validFrom };
  }

  const openStreet = current.streets.find((s) => s.validTo === null);
  let street: RosterChanges['street'];
  if (!openStreet || openStreet.streetCode !== input.streetCode) {
    // One problem per row is enough when membership and street are both dated too early.
    const problem = tooEarly('validFrom', input.validFrom, current.streets, '街镇归属', 'street');
    if (problem && problems.length === 0) problems.push(problem);
    street = { streetCode: input.streetCode, validFrom: input.validFrom };
  }

  const qualifications =
    states.qualifications &&
    !sameSet((input.qualifications ?? []).map(qualificationKey), current.qualifications.map(qualificationKey))
      ? (input.qualifications ?? [])
      : undefined;
  const scope =
    states.scope && !sameSet((input.scope ?? []).map(scopeKey), current.scope.map(scopeKey))
      ? (input.scope ?? [])
      : undefined;

  return {
    changes: {
      details,
      ...(membership ? { membership } : {}),
      ...(street ? { street } : {}),
      ...(qualifications ? { qualifications } : {}),
      ...(scope ? { scope } : {}),
    },
    problems,
  };
}

export function hasChanges(changes: RosterChanges): boolean {
  return (
    changes.details.length > 0 ||
    !!changes.membership ||
    !!changes.street ||
    !!changes.qualifications ||
    !!changes.scope
  );
}

/** The names of what changed, for the import report. */
export function changeLabels(changes: RosterChanges): string[] {
  return [
    ...changes.details,
    ...(changes.membership ? ['membership'] : []),
    ...(changes.street ? ['street'] : []),
    ...(changes.qualifications ? ['qualifications'] : []),
    ...(changes.scope ? ['scope'] : []),
  ];
}

/** The history line of an imported change, in the words the single-change endpoints use. */
export function describeChanges(changes: RosterChanges, row: number): string {
  const parts: string[] = [];
  if (changes.details.length > 0) parts.push(`updated ${changes.details.join(', ')}`);
  if (changes.membership)
    parts.push(
      `moved to ${changes.membership.parkCode}/${changes.membership.subParkCode} from ${changes.membership.validFrom}`,
    );
  if (changes.street) parts.push(`street ${changes.street.streetCode} from ${changes.street.validFrom}`);
  if (changes.qualifications) parts.push('qualifications replaced');
  if (changes.scope) parts.push('scope replaced');
  return `import row ${row}: ${parts.join('; ')}`;
}

/**
 * A change dated before the open period began would overlap the periods before it; one dated on that day
 * corrects the open period. With nothing open (the enterprise left), it has to start after the last period.
 */
function tooEarly(
  field: RosterField,
  validFrom: string,
  periods: readonly { validFrom: string; validTo: string | null }[],
  whatZh: string,
  whatEn: string,
): DiffProblem | undefined {
  const open = periods.find((p) => p.validTo === null);
  if (open && validFrom < open.validFrom) {
    return {
      field,
      code: 'IMPORT.VALID_FROM_TOO_EARLY',
      messageZh: `生效日期 ${validFrom} 早于当前${whatZh}的起始日期 ${open.validFrom}`,
      messageEn: `validFrom ${validFrom} is before the current ${whatEn} began (${open.validFrom})`,
      remedyZh: `填写 ${open.validFrom} 或之后的日期；更正更早的历史请联系管理员`,
      remedyEn: `Use ${open.validFrom} or later; ask an administrator to correct earlier history`,
    };
  }
  const lastEnd = periods.reduce<string | undefined>(
    (latest, p) => (p.validTo !== null && (!latest || p.validTo > latest) ? p.validTo : latest),
    undefined,
  );
  if (!open && lastEnd && validFrom <= lastEnd) {
    return {
      field,
      code: 'IMPORT.VALID_FROM_TOO_EARLY',
      messageZh: `生效日期 ${validFrom} 须晚于上一段${whatZh}的截止日期 ${lastEnd}`,
      messageEn: `validFrom ${validFrom} must be after the previous ${whatEn} ended (${lastEnd})`,
      remedyZh: `填写 ${lastEnd} 之后的日期`,
      remedyEn: `Use a date after ${lastEnd}`,
    };
  }
  return undefined;
}

function qualificationKey(q: {
  tag: string;
  validFrom: string;
  validTo?: string | null;
  certificateNo?: string | null;
}): string {
  return `${q.tag}|${q.validFrom}|${q.validTo ?? ''}|${q.certificateNo ?? ''}`;
}

function scopeKey(s: { formId: string; validFrom: string; validTo?: string | null }): string {
  return `${s.formId}|${s.validFrom}|${s.validTo ?? ''}`;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const left = [...a].sort();
  const right = [...b].sort();
  return left.every((value, index) => value === right[index]);
}
