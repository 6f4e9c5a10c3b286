import { z } from 'zod';

/**
 * Building blocks every HTTP schema uses. Text is capped BEFORE any pattern runs (the cap aborts the
 * chain), and must be well-formed Unicode without NUL: a lone surrogate or U+0000 is refused, never
 * stored as U+FFFD or passed to PostgreSQL (which cannot store NUL in text).
 */

/** Pass the stable code and both messages of a custom check through to the problem+json field error. */
export interface IssueParams {
  readonly code: string;
  readonly messageZh: string;
  readonly messageEn: string;
}

export const TEXT_NUL: IssueParams = {
  code: 'TEXT.NUL',
  messageZh: '文本不能包含 NUL 字符（\\u0000）',
  messageEn: 'Text must not contain a NUL character (\\u0000)',
};
export const TEXT_ENCODING: IssueParams = {
  code: 'TEXT.ENCODING',
  messageZh: '文本须为合法的 Unicode（不含孤立的代理项）',
  messageEn: 'Text must be well-formed Unicode (no lone surrogates)',
};

/** True when the text can be stored and echoed byte-identically: no NUL, no lone surrogate. */
export function isSafeText(value: string): boolean {
  return !value.includes('\u0000') && value.isWellFormed();
}

/** A string of at most `max` UTF-16 units, no NUL, well-formed; `min` counts after trimming. */
export function safeText(max: number, min = 0) {
  let schema = z
    .string()
    .max(max, { abort: true })
    .refine((value) => !value.includes('\u0000'), { params: TEXT_NUL, abort: true })
    .refine((value) => value.isWellFormed(), { params: TEXT_ENCODING, abort: true });
  if (min > 0) schema = schema.refine((value) => value.trim().length >= min, { params: tooShort(min) });
  return schema;
}

function tooShort(min: number): IssueParams {
  return {
    code: 'FIELD.TOO_SHORT',
    messageZh: `至少 ${min} 个字符`,
    messageEn: `At least ${min} character(s)`,
  };
}

/** A string that must match a pattern; capped first so the pattern only ever sees short input. */
export function pattern(max: number, regex: RegExp, description: string, example?: string) {
  return safeText(max)
    .regex(regex)
    .meta({ description, ...(example ? { examples: [example] } : {}) });
}

/**
 * A field whose meaning the service checks against reference data it owns (known parks, forms, rules),
 * answering with that field's own code (EXPORT.PARK_UNKNOWN…) together with every other error. The
 * schema caps and cleans the text; the documented pattern or values tell clients what will pass.
 */
export function checkedByService(
  max: number,
  doc: { description: string; pattern?: RegExp; enum?: readonly string[]; example?: string },
) {
  return safeText(max).meta({
    description: doc.description,
    ...(doc.pattern ? { pattern: doc.pattern.source } : {}),
    ...(doc.enum ? { enum: [...doc.enum] } : {}),
    ...(doc.example ? { examples: [doc.example] } : {}),
  });
}

export const uuidText = z.uuid().meta({ description: 'A UUID', examples: ['0b6f9a52-3f1e-4f5a-9c43-2d7c1b7e8a10'] });
/** 统一社会信用代码: 18 characters of the GB 32100 alphabet (the check digit is verified by the service). */
export const usccParam = pattern(18, /^[0-9A-HJ-NPQRTUWXY]{18}$/, 'USCC (统一社会信用代码)', '91310115MA1K4XXXX0');
/** The shape of a form id ("torch-monthly"): lower-case letters, digits and hyphens. */
export const FORM_ID_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;

/**
 * A form id. Forms are data (an operator can add one), so the document gives the shape, not a closed list:
 * the service checks the id against its catalog, which `GET /v1/forms` lists.
 */
export function formIdDoc(description: string) {
  return checkedByService(32, { description, pattern: FORM_ID_PATTERN, example: 'torch-monthly' });
}
export const formIdText = formIdDoc('A form id of the catalog (GET /v1/forms lists them)');
export const periodParam = pattern(
  7,
  /^\d{4}(-(0[1-9]|1[0-2]))?$/,
  'A period: YYYY-MM (monthly) or YYYY (annual)',
  '2026-09',
);
export const monthParam = pattern(7, /^\d{4}-(0[1-9]|1[0-2])$/, 'A month, YYYY-MM', '2026-09');
export const isoDate = pattern(10, /^\d{4}-\d{2}-\d{2}$/, 'A date, YYYY-MM-DD', '2026-07-01');
export const instant = z.iso.datetime({ offset: true }).meta({ description: 'An instant, ISO 8601 with offset' });
export const decimalString = pattern(40, /^-?\d{1,30}(\.\d{1,10})?$/, 'An exact decimal written as a string', '1234.5');
/** Park codes (CORE, ZJ-…): letters, digits, dashes. */
export const parkCode = pattern(32, /^[A-Z0-9][A-Z0-9-]{0,31}$/, 'A park code', 'CORE');
export const parkOrAll = z.union([z.literal('all'), parkCode]);
export const streetCode = pattern(9, /^\d{9}$/, '9-digit street/town (街镇) statistical division code', '310115137');
/** Indicator codes as the forms name them (qc05_0, qd01). */
export const indicatorCode = pattern(32, /^[a-z][a-z0-9_]{0,31}$/, 'An indicator code', 'qc05_0');
export const roleText = z.enum(['enterprise', 'street', 'park', 'commission', 'admin']);

/**
 * A bounded positive integer in a query string. The text is checked before it becomes a number, so
 * `1e20`, `99999999999999999999` or `1.5` are refused instead of overflowing.
 */
export function queryInt(max: number) {
  const digits = String(max).length;
  return z
    .string()
    .regex(new RegExp(`^[1-9][0-9]{0,${digits - 1}}$`))
    .transform(Number)
    .pipe(z.int().min(1).max(max))
    .meta({ description: `An integer from 1 to ${max}` });
}

export const queryBoolean = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** A download format switch shared by the JSON-or-file endpoints. */
export const fileFormat = z.enum(['json', 'csv', 'xlsx']);

export const pageQuery = {
  page: queryInt(100_000).optional(),
  pageSize: queryInt(500).optional(),
};

export function paged<T extends z.ZodType>(item: T) {
  return z.object({
    page: z.int(),
    pageSize: z.int(),
    total: z.int(),
    items: z.array(item),
  });
}
