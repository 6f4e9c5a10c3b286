import { createHash } from 'node:crypto';
import {
  explanationProblems,
  EXPLANATION_PROBLEM_MESSAGES,
  formVersionFor,
  latestFormVersion,
  fractionDigits,
  isDecimalText,
  formIds,
  isFormId,
  normalizeDecimal,
  ruleSetFor,
  type Explanation,
  type FormId,
  type FormVersion,
} from '@huoju/domain';
import type { FieldError } from '@huoju/platform';

/** A filing as the enterprise sent it, checked and normalised. */
export interface FilingSubmission {
  readonly formId: FormId;
  readonly form: FormVersion;
  readonly period: string;
  readonly values: Record<string, string>;
  readonly explanations: Explanation[];
}

const MAX_DIGITS_BEFORE_POINT = 15;

function error(pointer: string, code: string, messageZh: string, messageEn: string): FieldError {
  return { pointer, code, messageZh, messageEn };
}

/**
 * Checks the structure of a filing body and returns every field error at once (never the first only):
 * known form and period, known indicators, exact decimals within each indicator's precision, units.
 * The content rules (sums, parts, cross-period) are the rule engine's job, not this function's.
 */
export function checkFilingBody(raw: unknown): { errors: FieldError[]; submission?: FilingSubmission } {
  const errors: FieldError[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { errors: [error('', 'FILING.BODY', '请求体须为 JSON 对象', 'The body must be a JSON object')] };
  }
  const body = raw as Record<string, unknown>;
  const formId = typeof body.formId === 'string' ? body.formId : '';
  const period = typeof body.period === 'string' ? body.period : '';
  if (!isFormId(formId)) {
    errors.push(
      error(
        '/formId',
        'FILING.FORM_UNKNOWN',
        `未知报表 “${formId}”，可选 ${formIds().join('、')}`,
        `Unknown form "${formId}"; use ${formIds().join(' or ')}`,
      ),
    );
  }
  const form = isFormId(formId) ? formVersionFor(formId, period) : undefined;
  if (isFormId(formId) && !form) {
    errors.push(
      error(
        '/period',
        'FILING.PERIOD_OUTSIDE_FORM',
        `报告期 “${period}” 不在该报表的适用期内（月报写作 YYYY-MM，年报写作 YYYY）`,
        `Period "${period}" is outside the form's window (monthly: YYYY-MM, annual: YYYY)`,
      ),
    );
  }

  // With a bad period the values are still checked, against the form's latest version.
  const indicatorsOf = form ?? (isFormId(formId) ? latestFormVersion(formId) : undefined);
  const values: Record<string, string> = {};
  const rawValues = body.values;
  if (!rawValues || typeof rawValues !== 'object' || Array.isArray(rawValues)) {
    errors.push(
      error(
        '/values',
        'FILING.VALUES',
        'values 须为 “指标代码: 数值” 的对象',
        'values must be an object of indicator code → value',
      ),
    );
  } else {
    for (const [code, entry] of Object.entries(rawValues as Record<string, unknown>)) {
      const pointer = `/values/${code.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const indicator = indicatorsOf?.indicators.find((candidate) => candidate.code === code);
      if (indicatorsOf && !indicator) {
        errors.push(
          error(pointer, 'VALUE.UNKNOWN_INDICATOR', `本报表没有指标 ${code}`, `The form has no indicator ${code}`),
        );
        continue;
      }
      const { text, unit } = valueAndUnit(entry);
      if (typeof text === 'number') {
        errors.push(
          error(
            pointer,
            'VALUE.NOT_A_STRING',
            `请将数值写成字符串（如 "1234.5"），以免精度丢失`,
            `Write the value as a string (e.g. "1234.5") so that no digit is lost to floating point`,
          ),
        );
        continue;
      }
      if (typeof text !== 'string' || !isDecimalText(text)) {
        errors.push(
          error(
            pointer,
            'VALUE.NOT_DECIMAL',
            '数值须为十进制数（如 "1234.5"、"-20"），不含逗号、空格或科学计数法',
            'The value must be a decimal number such as "1234.5" or "-20": no commas, spaces or exponents',
          ),
        );
        continue;
      }
      if (indicator && unit !== undefined && unit !== indicator.unit) {
        errors.push(
          error(
            pointer,
            'VALUE.UNIT_MISMATCH',
            `${code} 的单位是 “${indicator.unit}”，不是 “${String(unit)}”`,
            `${code} is reported in ${indicator.unit}, not ${String(unit)}`,
          ),
        );
        continue;
      }
      if (indicator && fractionDigits(text) > indicator.decimals) {
        errors.push(
          error(
            pointer,
            'VALUE.TOO_PRECISE',
            `${code} 最多保留 ${indicator.decimals} 位小数`,
            `${code} takes at most ${indicator.decimals} decimal place(s)`,
          ),
        );
        continue;
      }
      if (
        text
          .replace(/^-/, '')
          .split('.')[0]!
          .replace(/^0+(?=\d)/, '').length > MAX_DIGITS_BEFORE_POINT
      ) {
        errors.push(
          error(
            pointer,
            'VALUE.OUT_OF_RANGE',
            '数值过大，请检查单位（千元）',
            'The value is implausibly large; check the unit (千元)',
          ),
        );
        continue;
      }
      values[code] = normalizeDecimal(text);
    }
  }

  const explanations = checkExplanations(body.explanations, indicatorsOf, errors);
  if (errors.length > 0 || !form) return { errors };
  return { errors, submission: { formId: form.formId, form, period, values, explanations } };
}

/** Checks explanations of warnings: a known rule, an allowed reason code and a specific text. */
export function checkExplanations(
  raw: unknown,
  form: FormVersion | undefined,
  errors: FieldError[],
  at = '/explanations',
): Explanation[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    errors.push(error(at, 'EXPLANATION.LIST', 'explanations 须为数组', 'explanations must be an array'));
    return [];
  }
  const ruleCodes = form
    ? new Set(
        ruleSetFor(form)
          .rules.filter((rule) => rule.severity === 'warning')
          .map((rule) => rule.code),
      )
    : undefined;
  const explanations: Explanation[] = [];
  raw.forEach((entry: Record<string, unknown>, index) => {
    const pointer = `${at}/${index}`;
    const ruleCode = typeof entry?.ruleCode === 'string' ? entry.ruleCode : '';
    const reasonCode = typeof entry?.reasonCode === 'string' ? entry.reasonCode : '';
    const text = typeof entry?.text === 'string' ? entry.text.trim() : '';
    const indicator = typeof entry?.indicator === 'string' ? entry.indicator : undefined;
    if (ruleCodes && !ruleCodes.has(ruleCode)) {
      errors.push(
        error(
          `${pointer}/ruleCode`,
          'EXPLANATION.RULE_UNKNOWN',
          `${ruleCode} 不是本报表可说明的警告规则`,
          `${ruleCode} is not a warning rule of this form that can be explained`,
        ),
      );
    }
    for (const problem of explanationProblems(reasonCode, text)) {
      const message = EXPLANATION_PROBLEM_MESSAGES[problem];
      errors.push(
        error(
          problem === 'UNKNOWN_REASON' ? `${pointer}/reasonCode` : `${pointer}/text`,
          `EXPLANATION.${problem}`,
          message.zh,
          message.en,
        ),
      );
    }
    explanations.push({ ruleCode, reasonCode, text, ...(indicator ? { indicator } : {}) });
  });
  return explanations;
}

function valueAndUnit(entry: unknown): { text: unknown; unit?: unknown } {
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const object = entry as Record<string, unknown>;
    return { text: object.value, unit: object.unit };
  }
  return { text: entry };
}

/** SHA-256 of the filing's canonical content: sorted keys, canonical decimals; what the receipt certifies. */
export function contentHash(
  uscc: string,
  submission: Pick<FilingSubmission, 'formId' | 'period' | 'values' | 'explanations'> & { form: { version: string } },
): string {
  const canonical = {
    uscc,
    formId: submission.formId,
    formVersion: submission.form.version,
    period: submission.period,
    values: Object.fromEntries(Object.entries(submission.values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    explanations: [...submission.explanations].sort((a, b) =>
      `${a.ruleCode}${a.indicator ?? ''}`.localeCompare(`${b.ruleCode}${b.indicator ?? ''}`),
    ),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
