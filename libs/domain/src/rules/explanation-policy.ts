/**
 * What makes an explanation of a warning acceptable. Following NBS practice (联网直报), a warning may be
 * submitted with a truthful, specific explanation; boilerplate such as "核实无误" on its own is refused.
 */
export interface ExplanationReason {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
}

export const EXPLANATION_REASONS: readonly ExplanationReason[] = [
  { code: 'RESTATEMENT', nameZh: '会计差错更正或口径调整', nameEn: 'Accounting restatement or change of definition' },
  {
    code: 'BUSINESS_CHANGE',
    nameZh: '经营业务变化（新业务、停产、转型）',
    nameEn: 'Change in business (new line, stoppage, transformation)',
  },
  { code: 'ONE_OFF', nameZh: '一次性或偶发事项', nameEn: 'One-off or exceptional item' },
  { code: 'SEASONAL', nameZh: '季节性或合同周期因素', nameEn: 'Seasonal or contract-cycle effect' },
  { code: 'RESTRUCTURING', nameZh: '合并、分立或资产重组', nameEn: 'Merger, split or restructuring' },
  { code: 'EXTERNAL', nameZh: '政策或市场等外部因素', nameEn: 'Policy or market conditions' },
  { code: 'OTHER', nameZh: '其他（须详细说明）', nameEn: 'Other (explain in detail)' },
];

/** Phrases that say nothing on their own. Compared after removing punctuation and spaces. */
const BOILERPLATE = [
  '核实无误',
  '经核实无误',
  '数据无误',
  '数据准确',
  '情况属实',
  '属实',
  '无误',
  '正常',
  '数据正常',
  '确认无误',
  '已核实',
  '以上数据真实',
  '数据真实',
  '真实有效',
  'ok',
  'correct',
  'verified',
  'noerror',
  'dataiscorrect',
  'asreported',
  'na',
];

const MIN_CJK_CHARACTERS = 8;
const MIN_LATIN_CHARACTERS = 20;

export type ExplanationProblem = 'UNKNOWN_REASON' | 'TOO_SHORT' | 'BOILERPLATE';

export function explanationReason(code: string): ExplanationReason | undefined {
  return EXPLANATION_REASONS.find((reason) => reason.code === code);
}

/** Returns the problems with an explanation; an empty list means it is acceptable. */
export function explanationProblems(reasonCode: string, text: string): ExplanationProblem[] {
  const problems: ExplanationProblem[] = [];
  if (!explanationReason(reasonCode)) problems.push('UNKNOWN_REASON');
  const essence = text.toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
  if (isBoilerplate(essence)) {
    problems.push('BOILERPLATE');
  } else {
    const cjk = (essence.match(/\p{Script=Han}/gu) ?? []).length;
    if (cjk < MIN_CJK_CHARACTERS && essence.length < MIN_LATIN_CHARACTERS) problems.push('TOO_SHORT');
  }
  return problems;
}

/** Boilerplate alone, or boilerplate repeated ("核实无误，核实无误"), is not an explanation. */
function isBoilerplate(essence: string): boolean {
  if (essence.length === 0) return true;
  let rest = essence;
  let changed = true;
  while (rest.length > 0 && changed) {
    changed = false;
    for (const phrase of BOILERPLATE) {
      if (rest.startsWith(phrase)) {
        rest = rest.slice(phrase.length);
        changed = true;
      }
    }
  }
  return rest.length === 0;
}

export const EXPLANATION_PROBLEM_MESSAGES: Record<ExplanationProblem, { zh: string; en: string }> = {
  UNKNOWN_REASON: { zh: '说明原因代码不在允许的列表中', en: 'The reason code is not one of the allowed codes' },
  TOO_SHORT: {
    zh: `说明过短：请具体说明数据变化的原因（至少${MIN_CJK_CHARACTERS}个汉字）`,
    en: `The explanation is too short: say specifically why the figure is what it is (at least ${MIN_LATIN_CHARACTERS} characters)`,
  },
  BOILERPLATE: {
    zh: '“核实无误”等套话不能作为说明，请写明具体原因（如业务变化、一次性事项及其金额）',
    en: 'Boilerplate such as "核实无误" (verified) is not an explanation; state the specific cause (e.g. the business change or one-off item and its amount)',
  },
};
