import type { FormVersion } from '../catalog';
import torchAnnualRules2025 from './data/torch-annual.rules.2025.1.json';
import torchMonthlyRules2026 from './data/torch-monthly.rules.2026.1.json';
import { RuleEngine } from './rule-engine';
import type { Check, Expression, RuleDefinition, RuleSet, Severity } from './rule.types';

const RULE_SETS: RuleSet[] = [torchMonthlyRules2026 as RuleSet, torchAnnualRules2025 as RuleSet];

/** Adds a rule set read at start, beside the form version it belongs to (`registerFormVersion`). */
export function registerRuleSet(ruleSet: RuleSet): void {
  if (RULE_SETS.some((set) => set.formId === ruleSet.formId && set.version === ruleSet.version))
    throw new Error(`rule set ${ruleSet.formId} ${ruleSet.version} is known already`);
  RULE_SETS.push(ruleSet);
}

export function ruleSetFor(form: FormVersion): RuleSet {
  const ruleSet = RULE_SETS.find((set) => set.formId === form.formId && set.version === form.ruleSetVersion);
  if (!ruleSet) throw new Error(`no rule set ${form.ruleSetVersion} for ${form.formId} ${form.version}`);
  return ruleSet;
}

const engines = new Map<FormVersion, RuleEngine>();

/** One engine per form version, built once: rule sets are immutable data. */
export function engineFor(form: FormVersion): RuleEngine {
  let engine = engines.get(form);
  if (!engine) {
    engine = new RuleEngine(form, ruleSetFor(form));
    engines.set(form, engine);
  }
  return engine;
}

export interface RuleDescription {
  readonly code: string;
  readonly severity: Severity;
  readonly titleZh: string;
  readonly titleEn: string;
  readonly descriptionZh: string;
  readonly descriptionEn: string;
  readonly remedyZh: string;
  readonly remedyEn: string;
  readonly kind: Check['kind'];
  readonly crossPeriod: boolean;
}

/** The published rule catalog: what each rule checks, in words, for enterprises and integrators. */
export function describeRules(ruleSet: RuleSet): RuleDescription[] {
  return ruleSet.rules.map((rule: RuleDefinition) => ({
    code: rule.code,
    severity: rule.severity,
    titleZh: rule.titleZh,
    titleEn: rule.titleEn,
    ...describeCheck(rule.check),
    remedyZh: rule.remedyZh,
    remedyEn: rule.remedyEn,
    kind: rule.check.kind,
    crossPeriod: ['ytd-not-decreasing', 'yoy-change', 'matches-other-form', 'in-scope'].includes(rule.check.kind),
  }));
}

function describeCheck(check: Check): { descriptionZh: string; descriptionEn: string } {
  switch (check.kind) {
    case 'required':
      return {
        descriptionZh: `必须填报：${check.indicators.join('、')}`,
        descriptionEn: `Must be reported: ${check.indicators.join(', ')}`,
      };
    case 'non-negative':
      return {
        descriptionZh: '除允许为负的指标（如净利润）外，所有指标 ≥ 0',
        descriptionEn: 'Every indicator except those allowed to be negative (e.g. net profit) is ≥ 0',
      };
    case 'integer':
      return {
        descriptionZh: '以人、件、家计的指标为整数',
        descriptionEn: 'Indicators counted in persons, patents or institutions are whole numbers',
      };
    case 'child-not-above-parent': {
      const pairs = check.pairs?.map(([c, p]) => `${c} ≤ ${p}`).join('; ') ?? 'form hierarchy (其中)';
      return {
        descriptionZh: `“其中”项不大于总数：${pairs}`,
        descriptionEn: `Each "of which" item is at most its total: ${pairs}`,
      };
    }
    case 'sum-of-children':
      return {
        descriptionZh: `合计等于各构成项之和（容差 ${check.tolerance}）`,
        descriptionEn: `A total equals the sum of its components (tolerance ${check.tolerance})`,
      };
    case 'compare': {
      const text = `${expressionText(check.left)} ${check.op} ${expressionText(check.right)}${check.tolerance ? ` (± ${check.tolerance})` : ''}`;
      return { descriptionZh: text, descriptionEn: text };
    }
    case 'ratio-bounds': {
      const bounds = [check.minPercent && `≥ ${check.minPercent}%`, check.maxPercent && `≤ ${check.maxPercent}%`]
        .filter(Boolean)
        .join(', ');
      return {
        descriptionZh: `${check.numerator} / ${check.denominator} ${bounds}`,
        descriptionEn: `${check.numerator} / ${check.denominator} ${bounds}`,
      };
    }
    case 'required-if': {
      const when =
        check.when.kind === 'industry-section'
          ? `industry section ∈ {${check.when.sections.join(', ')}}`
          : `${expressionText(check.when.left)} ${check.when.op} ${expressionText(check.when.right)}`;
      return {
        descriptionZh: `当 ${when} 时必须填报 ${check.indicators.join('、')}`,
        descriptionEn: `When ${when}, ${check.indicators.join(', ')} must be reported`,
      };
    }
    case 'ytd-not-decreasing':
      return {
        descriptionZh: `1—N月累计不小于上月已受理的累计数：${check.indicators.join('、')}`,
        descriptionEn: `Year-to-date is not below the previous month's accepted figure: ${check.indicators.join(', ')}`,
      };
    case 'yoy-change':
      return {
        descriptionZh: `与上年同期相比变化不超过 ±${check.maxChangePercent}%（上年基数 ≥ ${check.minBase}）：${check.indicators.join('、')}`,
        descriptionEn: `Within ±${check.maxChangePercent}% of the same period last year (when last year's base ≥ ${check.minBase}): ${check.indicators.join(', ')}`,
      };
    case 'matches-other-form':
      return {
        descriptionZh: `与另一张报表（年报 / 12月月报）偏差不超过 ${check.maxDeviationPercent}%：${check.indicators.join('、')}`,
        descriptionEn: `Within ${check.maxDeviationPercent}% of the other form (annual report / December monthly): ${check.indicators.join(', ')}`,
      };
    case 'in-scope':
      return {
        descriptionZh: '企业在本期属于本表的调查范围（以企业名录为准）',
        descriptionEn: 'The enterprise is in the survey scope of this form for the period, per the roster',
      };
  }
}

function expressionText(expression: Expression): string {
  if ('indicator' in expression) return expression.indicator;
  if ('sum' in expression) return `(${expression.sum.join(' + ')})`;
  return expression.constant;
}
