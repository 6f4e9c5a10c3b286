import { type IdentifierIssue } from './identifier.types';
import { defaultUsccOverrides } from './uscc-overrides';

// 统一社会信用代码 (USCC), GB 32100-2015: 登记管理部门 (1) + 机构类别 (1) + 登记机关行政区划码 (6,
// GB/T 2260) + 主体标识码 (9) + 校验码 (1).

/** The 31 characters a USCC may use, valued 0–30 (I, O, Z, S, V are excluded). */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights of positions 1–17: 3^(i−1) mod 31. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

const USCC_LENGTH = 18;
const SHANGHAI_PREFIX = '31';

export type UsccIssueCode = 'USCC.LENGTH' | 'USCC.CHARSET' | 'USCC.CHECKSUM' | 'USCC.REGION_OUTSIDE_SHANGHAI';

export interface UsccCheck {
  valid: boolean;
  /** Trimmed and upper-cased input. */
  normalized: string;
  errors: IdentifierIssue[];
  warnings: IdentifierIssue[];
}

export interface UsccOptions {
  /** Extra legal codes that fail the checksum, on top of the built-in list. */
  overrides?: ReadonlySet<string>;
}

/** The check character (position 18) for the first 17 characters. Throws on malformed input. */
export function computeUsccCheckCharacter(first17: string): string {
  const body = first17.trim().toUpperCase();
  if (body.length !== USCC_LENGTH - 1) {
    throw new RangeError(`USCC body must have 17 characters, got ${body.length}`);
  }
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const value = USCC_CHARSET.indexOf(body.charAt(i));
    if (value < 0) throw new RangeError(`USCC body has a character outside the USCC charset: "${body.charAt(i)}"`);
    sum += value * WEIGHTS[i];
  }
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

export function validateUscc(code: string, options?: UsccOptions): UsccCheck {
  const normalized = code.trim().toUpperCase();
  const errors: IdentifierIssue[] = [];
  const warnings: IdentifierIssue[] = [];

  if (normalized.length !== USCC_LENGTH) errors.push(lengthIssue(normalized.length));
  const badCharacters = [...new Set([...normalized].filter((character) => !USCC_CHARSET.includes(character)))];
  if (badCharacters.length > 0) errors.push(charsetIssue(badCharacters));

  if (errors.length === 0) {
    const expected = computeUsccCheckCharacter(normalized.slice(0, USCC_LENGTH - 1));
    const actual = normalized.charAt(USCC_LENGTH - 1);
    if (expected !== actual && !isOverride(normalized, options)) errors.push(checksumIssue(expected, actual));
    const region = normalized.slice(2, 8);
    // A firm registered elsewhere may still operate in a park, so this only warns.
    if (!region.startsWith(SHANGHAI_PREFIX)) warnings.push(regionIssue(region));
  }

  return { valid: errors.length === 0, normalized, errors, warnings };
}

function isOverride(normalized: string, options?: UsccOptions): boolean {
  return defaultUsccOverrides().has(normalized) || (options?.overrides?.has(normalized) ?? false);
}

function lengthIssue(length: number): IdentifierIssue {
  return {
    code: 'USCC.LENGTH',
    messageZh: `统一社会信用代码应为18位，当前为${length}位；请对照营业执照重新填写完整的18位代码。`,
    messageEn: `A USCC has 18 characters; this one has ${length}. Copy all 18 characters again from the business licence.`,
  };
}

function charsetIssue(characters: string[]): IdentifierIssue {
  const list = characters.map((character) => `“${character}”`).join('、');
  const listEn = characters.map((character) => `"${character}"`).join(', ');
  return {
    code: 'USCC.CHARSET',
    messageZh: `统一社会信用代码含有不允许的字符${list}：只能使用数字和大写字母，且不含 I、O、Z、S、V；请检查是否把数字 0、1、2、5 误写成字母 O、I、Z、S 等。`,
    messageEn: `The USCC contains ${listEn}, which are not allowed: use digits and capital letters except I, O, Z, S and V. Check for digits 0, 1, 2, 5 mistyped as O, I, Z, S.`,
  };
}

function checksumIssue(expected: string, actual: string): IdentifierIssue {
  return {
    code: 'USCC.CHECKSUM',
    messageZh: `统一社会信用代码校验位不符：按前17位计算第18位应为“${expected}”，实际为“${actual}”；多为抄写错误，请对照营业执照逐位核对。`,
    messageEn: `The USCC check character does not match: the first 17 characters give "${expected}" but the 18th is "${actual}". This is usually a typo; compare every character with the business licence.`,
  };
}

function regionIssue(region: string): IdentifierIssue {
  return {
    code: 'USCC.REGION_OUTSIDE_SHANGHAI',
    messageZh: `登记机关行政区划码“${region}”不以31开头，企业不在上海登记；异地登记、在园区经营的企业可以保留，请确认企业的注册地与经营地。`,
    messageEn: `Registration region "${region}" does not start with 31, so the firm is registered outside Shanghai. Firms registered elsewhere may operate in a park; confirm the registered and operating addresses.`,
  };
}
