import {
  carrier,
  isIsoDate,
  defaultScopeFormIds,
  isFormId,
  industryTag,
  park,
  qualificationTag,
  streetTown,
  subPark,
  validateIndustryCode,
  validateUscc,
} from '@huoju/domain';
import {
  CONTACT_NAME_MAX,
  EMAIL_MAX,
  NAME_MAX,
  PHONE_MAX,
  TEXT_ENCODING,
  TEXT_NUL,
  isSafeText,
} from '@huoju/contracts/http';
import type { FieldError } from '@huoju/platform';

/** One enterprise as an admin, a park team or a roster file describes it. */
export interface EnterpriseInput {
  readonly uscc: string;
  readonly nameZh: string;
  readonly industryCode: string;
  readonly registeredDistrict: string;
  readonly contact: { readonly name: string; readonly phone: string; readonly email: string };
  readonly parkCode: string;
  readonly subParkCode: string;
  readonly carrierCode?: string | null;
  readonly streetCode: string;
  /** When the membership and street begin. */
  readonly validFrom: string;
  readonly qualifications?: readonly {
    readonly tag: string;
    readonly validFrom: string;
    readonly validTo?: string | null;
    readonly certificateNo?: string | null;
  }[];
  readonly industryTags?: readonly string[];
  readonly scope?: readonly { readonly formId: string; readonly validFrom: string; readonly validTo?: string | null }[];
}

export interface CheckedInput<T> {
  readonly errors: FieldError[];
  readonly warnings: FieldError[];
  readonly value: T;
}

/**
 * Linear by construction: the local part stops at the only "@", and the domain is dot-free labels joined
 * by dots, so no input can be split two ways (the old `[^\s@]+\.[^\s@]+` backtracked quadratically).
 * Lengths are capped before either pattern runs (contact-input.spec.ts checks both with recheck).
 */
export const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
export const PHONE = /^[0-9+\-() ]{6,20}$/;
/** Longest text of any other field (codes, dates, certificate numbers). */
const CODE_MAX = 64;

function error(pointer: string, code: string, messageZh: string, messageEn: string): FieldError {
  return { pointer, code, messageZh, messageEn };
}

/**
 * Reads text fields with their caps checked first: too long, NUL or a lone surrogate is one error on the
 * field, and later checks of that field (patterns included) are skipped, so no pattern sees long input.
 */
class FieldReader {
  readonly errors: FieldError[] = [];
  private readonly refused = new Set<string>();

  text(value: unknown, pointer: string, max = CODE_MAX): string {
    if (typeof value !== 'string') return '';
    if (value.length > max) {
      this.refuse(error(pointer, 'FIELD.TOO_LONG', `最多 ${max} 个字符`, `At most ${max} characters`));
      return '';
    }
    if (!isSafeText(value)) {
      const params = value.includes('\u0000') ? TEXT_NUL : TEXT_ENCODING;
      this.refuse(error(pointer, params.code, params.messageZh, params.messageEn));
      return '';
    }
    return value.trim();
  }

  add(problem: FieldError): void {
    if (!this.refused.has(problem.pointer)) this.errors.push(problem);
  }

  private refuse(problem: FieldError): void {
    this.refused.add(problem.pointer);
    this.errors.push(problem);
  }
}

/** The contact person's fields, capped and checked; used for new enterprises, imports and PATCH. */
export function checkContact(
  raw: unknown,
  at: string,
  reader = new FieldReader(),
): { contact: EnterpriseInput['contact']; errors: FieldError[] } {
  const contactRaw = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const contact = {
    name: reader.text(contactRaw.name, `${at}/name`, CONTACT_NAME_MAX),
    phone: reader.text(contactRaw.phone, `${at}/phone`, PHONE_MAX),
    email: reader.text(contactRaw.email, `${at}/email`, EMAIL_MAX),
  };
  if (!contact.name)
    reader.add(error(`${at}/name`, 'CONTACT.NAME', '请填写统计联系人', 'Name the statistics contact person'));
  if (!PHONE.test(contact.phone))
    reader.add(error(`${at}/phone`, 'CONTACT.PHONE', '联系电话格式不正确', 'The phone number is not valid'));
  if (!EMAIL.test(contact.email))
    reader.add(error(`${at}/email`, 'CONTACT.EMAIL', '电子邮箱格式不正确', 'The e-mail address is not valid'));
  return { contact, errors: reader.errors };
}

/** Checks every field and returns all problems at once, plus the normalised input. */
export function checkEnterpriseInput(raw: unknown, at = ''): CheckedInput<EnterpriseInput> {
  const input = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const reader = new FieldReader();
  const errors = { push: (problem: FieldError) => reader.add(problem) };
  const text = (value: unknown, pointer: string, max?: number) => reader.text(value, `${at}${pointer}`, max);
  const warnings: FieldError[] = [];

  const uscc = validateUscc(text(input.uscc, '/uscc'));
  for (const issue of uscc.errors) errors.push(error(`${at}/uscc`, issue.code, issue.messageZh, issue.messageEn));
  for (const issue of uscc.warnings) warnings.push(error(`${at}/uscc`, issue.code, issue.messageZh, issue.messageEn));

  const nameZh = text(input.nameZh, '/nameZh', NAME_MAX);
  if (nameZh.length < 2 || nameZh.length > 100)
    errors.push(
      error(`${at}/nameZh`, 'ENTERPRISE.NAME', '企业名称须为2至100个字符', 'The name must have 2 to 100 characters'),
    );

  const industry = validateIndustryCode(text(input.industryCode, '/industryCode'));
  if (!industry.valid) {
    errors.push(
      error(
        `${at}/industryCode`,
        industry.issue?.code ?? 'INDUSTRY.INVALID',
        industry.issue?.messageZh ?? '行业代码无效',
        industry.issue?.messageEn ?? 'Invalid industry code',
      ),
    );
  }

  const registeredDistrict = text(input.registeredDistrict, '/registeredDistrict');
  if (!/^\d{6}$/.test(registeredDistrict))
    errors.push(
      error(
        `${at}/registeredDistrict`,
        'ENTERPRISE.DISTRICT',
        '注册地区划代码须为6位数字（GB/T 2260）',
        'The registered district is a 6-digit GB/T 2260 code',
      ),
    );

  const { contact } = checkContact(input.contact, `${at}/contact`, reader);

  const parkCode = text(input.parkCode, '/parkCode');
  const subParkCode = text(input.subParkCode, '/subParkCode');
  const carrierCode = text(input.carrierCode, '/carrierCode') || null;
  if (!park(parkCode))
    errors.push(error(`${at}/parkCode`, 'PARK.UNKNOWN', `未知园区代码 ${parkCode}`, `Unknown park code ${parkCode}`));
  const sub = subPark(subParkCode);
  if (!sub || sub.parkCode !== parkCode)
    errors.push(
      error(
        `${at}/subParkCode`,
        'SUB_PARK.UNKNOWN',
        `分园/片区 ${subParkCode} 不属于园区 ${parkCode}`,
        `Sub-park ${subParkCode} is not part of park ${parkCode}`,
      ),
    );
  if (carrierCode && carrier(carrierCode)?.parkCode !== parkCode)
    errors.push(
      error(
        `${at}/carrierCode`,
        'CARRIER.UNKNOWN',
        `载体 ${carrierCode} 不属于园区 ${parkCode}`,
        `Carrier ${carrierCode} is not part of park ${parkCode}`,
      ),
    );

  const streetCode = text(input.streetCode, '/streetCode');
  if (!streetTown(streetCode))
    errors.push(
      error(
        `${at}/streetCode`,
        'STREET.UNKNOWN',
        `未知街镇代码 ${streetCode}（9位统计用区划代码）`,
        `Unknown street/town code ${streetCode} (9-digit statistical division code)`,
      ),
    );

  const validFrom = text(input.validFrom, '/validFrom');
  if (!isIsoDate(validFrom))
    errors.push(
      error(`${at}/validFrom`, 'DATE.INVALID', '生效日期格式为 YYYY-MM-DD', 'validFrom is a date, YYYY-MM-DD'),
    );

  const qualifications = (Array.isArray(input.qualifications) ? input.qualifications : []).map(
    (q: Record<string, unknown>, index) => {
      const tag = text(q?.tag, `/qualifications/${index}/tag`);
      const from = text(q?.validFrom, `/qualifications/${index}/validFrom`);
      const to = text(q?.validTo, `/qualifications/${index}/validTo`) || null;
      if (!qualificationTag(tag))
        errors.push(
          error(
            `${at}/qualifications/${index}/tag`,
            'QUALIFICATION.UNKNOWN',
            `未知资质标签 ${tag}`,
            `Unknown qualification ${tag}`,
          ),
        );
      if (!isIsoDate(from))
        errors.push(
          error(
            `${at}/qualifications/${index}/validFrom`,
            'DATE.INVALID',
            '日期格式为 YYYY-MM-DD',
            'A date is YYYY-MM-DD',
          ),
        );
      if (to && (!isIsoDate(to) || to < from))
        errors.push(
          error(
            `${at}/qualifications/${index}/validTo`,
            'DATE.INVALID',
            '截止日期须不早于起始日期',
            'validTo is a date not before validFrom',
          ),
        );
      return {
        tag,
        validFrom: from,
        validTo: to,
        certificateNo: text(q?.certificateNo, `/qualifications/${index}/certificateNo`) || null,
      };
    },
  );

  const industryTags = (Array.isArray(input.industryTags) ? input.industryTags : []).map((tag, index) => {
    const code = text(tag, `/industryTags/${index}`);
    if (!industryTag(code))
      errors.push(
        error(
          `${at}/industryTags/${index}`,
          'INDUSTRY_TAG.UNKNOWN',
          `未知产业标签 ${code}`,
          `Unknown industry tag ${code}`,
        ),
      );
    return code;
  });

  const scopeInput = Array.isArray(input.scope)
    ? input.scope
    : defaultScopeFormIds().map((formId) => ({ formId, validFrom }));
  const scope = scopeInput.map((s: Record<string, unknown>, index) => {
    const formId = text(s?.formId, `/scope/${index}/formId`);
    const from = text(s?.validFrom, `/scope/${index}/validFrom`);
    const to = text(s?.validTo, `/scope/${index}/validTo`) || null;
    if (!isFormId(formId))
      errors.push(error(`${at}/scope/${index}/formId`, 'FORM.UNKNOWN', `未知报表 ${formId}`, `Unknown form ${formId}`));
    if (!isIsoDate(from))
      errors.push(
        error(`${at}/scope/${index}/validFrom`, 'DATE.INVALID', '日期格式为 YYYY-MM-DD', 'A date is YYYY-MM-DD'),
      );
    if (to && (!isIsoDate(to) || to < from))
      errors.push(
        error(
          `${at}/scope/${index}/validTo`,
          'DATE.INVALID',
          '截止日期须不早于起始日期',
          'validTo is a date not before validFrom',
        ),
      );
    return { formId, validFrom: from, validTo: to };
  });

  return {
    errors: reader.errors,
    warnings,
    value: {
      uscc: uscc.normalized,
      nameZh,
      industryCode: industry.normalized ?? text(input.industryCode, '/industryCode'),
      registeredDistrict,
      contact,
      parkCode,
      subParkCode,
      carrierCode,
      streetCode,
      validFrom,
      qualifications,
      industryTags: [...new Set(industryTags)],
      scope,
    },
  };
}
