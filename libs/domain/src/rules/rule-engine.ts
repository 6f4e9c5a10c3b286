import { COUNTED_UNITS, indicatorMap, type FormVersion, type IndicatorDefinition } from '../catalog';
import {
  abs,
  comparePercent,
  formatDecimal,
  isDecimalText,
  isInteger,
  parseDecimal,
  percent,
  round,
  type Scaled,
} from '../decimal';
import { explanationProblems } from './explanation-policy';
import type {
  Check,
  ComparisonOperator,
  Condition,
  EvaluationContext,
  EvaluationResult,
  Explanation,
  Expression,
  Finding,
  Outcome,
  ReferenceFiling,
  RuleDefinition,
  RuleSet,
} from './rule.types';

export interface FilingUnderEvaluation {
  readonly period: string;
  readonly values: Readonly<Record<string, string>>;
  readonly explanations?: readonly Explanation[];
}

/** A finding before the rule's severity, remedy and any explanation are attached. */
interface Violation {
  readonly indicators: readonly string[];
  readonly messageZh: string;
  readonly messageEn: string;
  readonly values: Record<string, string | null>;
}

type Values = ReadonlyMap<string, Scaled>;

/**
 * Evaluates one filing against a rule set and returns every finding at once. Pure and synchronous:
 * the dry-run endpoint and the validation service call the same function with the same inputs.
 */
export class RuleEngine {
  private readonly indicators: ReadonlyMap<string, IndicatorDefinition>;

  constructor(
    private readonly form: FormVersion,
    private readonly ruleSet: RuleSet,
  ) {
    this.indicators = indicatorMap(form);
  }

  evaluate(filing: FilingUnderEvaluation, context: EvaluationContext = {}): EvaluationResult {
    const values = toScaled(filing.values);
    const findings: Finding[] = [];
    for (const rule of this.ruleSet.rules) {
      for (const violation of this.check(rule.check, values, context)) {
        findings.push(this.toFinding(rule, violation, filing.explanations ?? []));
      }
    }
    return {
      outcome: outcomeOf(findings),
      formId: this.form.formId,
      formVersion: this.form.version,
      ruleSetVersion: this.ruleSet.version,
      findings,
      rulesEvaluated: this.ruleSet.rules.length,
    };
  }

  private check(check: Check, values: Values, context: EvaluationContext): Violation[] {
    switch (check.kind) {
      case 'required':
        return check.indicators.filter((code) => !values.has(code)).map((code) => this.missing(code));
      case 'non-negative':
        return this.form.indicators
          .filter((indicator) => !indicator.signed && (values.get(indicator.code) ?? 0n) < 0n)
          .map((indicator) => this.negative(indicator, values.get(indicator.code)!));
      case 'integer':
        return this.form.indicators
          .filter((indicator) => COUNTED_UNITS.includes(indicator.unit))
          .filter((indicator) => values.has(indicator.code) && !isInteger(values.get(indicator.code)!))
          .map((indicator) => this.fractional(indicator, values.get(indicator.code)!));
      case 'child-not-above-parent':
        return (check.pairs ?? this.catalogParentPairs())
          .filter(
            ([child, parent]) => values.has(child) && values.has(parent) && values.get(child)! > values.get(parent)!,
          )
          .map(([child, parent]) => this.childAboveParent(child, parent, values));
      case 'sum-of-children':
        return this.sumOfChildren(parseDecimal(check.tolerance), values);
      case 'compare':
        return this.compare(check.left, check.op, check.right, parseDecimal(check.tolerance ?? '0'), values);
      case 'ratio-bounds':
        return this.ratioBounds(check, values);
      case 'required-if':
        if (!this.holds(check.when, values, context)) return [];
        return check.indicators.filter((code) => !values.has(code)).map((code) => this.missing(code, check.when));
      case 'ytd-not-decreasing':
        return this.notDecreasing(check.indicators, values, context.previousMonth);
      case 'yoy-change':
        return this.yoyChange(check, values, context.sameMonthLastYear);
      case 'matches-other-form':
        return this.matchesOtherForm(check, values, context.otherForm);
      case 'in-scope':
        return context.enterprise?.inScope === false ? [this.outOfScope()] : [];
    }
  }

  private toFinding(rule: RuleDefinition, violation: Violation, explanations: readonly Explanation[]): Finding {
    const finding: Finding = {
      ruleCode: rule.code,
      severity: rule.severity,
      indicators: violation.indicators,
      pointer: violation.indicators.length > 0 ? `/values/${violation.indicators[0]}` : '',
      messageZh: `${rule.titleZh}：${violation.messageZh}`,
      messageEn: `${rule.titleEn}: ${violation.messageEn}`,
      remedyZh: rule.remedyZh,
      remedyEn: rule.remedyEn,
      values: violation.values,
    };
    if (rule.severity !== 'warning') return finding;
    const explanation = explanations.find(
      (candidate) =>
        candidate.ruleCode === rule.code && (!candidate.indicator || candidate.indicator === violation.indicators[0]),
    );
    if (!explanation || explanationProblems(explanation.reasonCode, explanation.text).length > 0) return finding;
    return { ...finding, explanation: { reasonCode: explanation.reasonCode, text: explanation.text } };
  }

  private catalogParentPairs(): [string, string][] {
    return this.form.indicators.filter((i) => i.parent).map((i) => [i.code, i.parent!]);
  }

  /** How findings name the other form's filing, as this form's references say ("年报"); its id otherwise. */
  private otherFormLabel(formId: string): { zh: string; en: string } {
    const other = this.form.references.otherForm;
    return other?.formId === formId ? { zh: other.labelZh, en: other.labelEn } : { zh: formId, en: formId };
  }

  private label(code: string): { zh: string; en: string } {
    const indicator = this.indicators.get(code);
    return indicator
      ? {
          zh: `${indicator.nameZh.replace(/^其中[：:]/, '')}（${code}）`,
          en: `${indicator.nameEn.replace(/^of which: /, '')} (${code})`,
        }
      : { zh: code, en: code };
  }

  private unit(code: string): string {
    return this.indicators.get(code)?.unit ?? '';
  }

  private missing(code: string, when?: Condition): Violation {
    const { zh, en } = this.label(code);
    const why =
      when?.kind === 'industry-section'
        ? { zh: '（工业企业必填）', en: ' (required of industrial enterprises)' }
        : { zh: '', en: '' };
    return {
      indicators: [code],
      messageZh: `未填报${zh}${why.zh}`,
      messageEn: `${en} is not reported${why.en}`,
      values: { [code]: null },
    };
  }

  private negative(indicator: IndicatorDefinition, value: Scaled): Violation {
    const { zh, en } = this.label(indicator.code);
    const text = formatDecimal(value);
    return {
      indicators: [indicator.code],
      messageZh: `${zh}为${text}${indicator.unit}，不得为负数`,
      messageEn: `${en} is ${text} ${indicator.unit}; it may not be negative`,
      values: { [indicator.code]: text },
    };
  }

  private fractional(indicator: IndicatorDefinition, value: Scaled): Violation {
    const { zh, en } = this.label(indicator.code);
    const text = formatDecimal(value);
    return {
      indicators: [indicator.code],
      messageZh: `${zh}为${text}，以“${indicator.unit}”计须为整数`,
      messageEn: `${en} is ${text}; counted in ${indicator.unit} it must be a whole number`,
      values: { [indicator.code]: text },
    };
  }

  private childAboveParent(child: string, parent: string, values: Values): Violation {
    const c = this.label(child);
    const p = this.label(parent);
    const childValue = formatDecimal(values.get(child)!);
    const parentValue = formatDecimal(values.get(parent)!);
    const unit = this.unit(parent);
    return {
      indicators: [child, parent],
      messageZh: `${c.zh}为${childValue}${unit}，大于${p.zh}${parentValue}${unit}`,
      messageEn: `${c.en} is ${childValue} ${unit}, more than ${p.en} ${parentValue} ${unit}`,
      values: { [child]: childValue, [parent]: parentValue },
    };
  }

  private sumOfChildren(tolerance: Scaled, values: Values): Violation[] {
    const violations: Violation[] = [];
    for (const indicator of this.form.indicators) {
      if (!indicator.sumOf || !values.has(indicator.code)) continue;
      const reported = indicator.sumOf.filter((code) => values.has(code));
      if (reported.length === 0) continue;
      const total = reported.reduce((acc, code) => acc + values.get(code)!, 0n);
      const parentValue = values.get(indicator.code)!;
      if (abs(total - parentValue) <= tolerance) continue;
      const p = this.label(indicator.code);
      const childValues = Object.fromEntries(
        indicator.sumOf.map((code) => [code, values.has(code) ? formatDecimal(values.get(code)!) : null]),
      );
      violations.push({
        indicators: [indicator.code, ...indicator.sumOf],
        messageZh: `${p.zh}为${formatDecimal(parentValue)}${indicator.unit}，而其构成项（${indicator.sumOf.join('+')}）合计${formatDecimal(total)}${indicator.unit}`,
        messageEn: `${p.en} is ${formatDecimal(parentValue)} ${indicator.unit} but its components (${indicator.sumOf.join(' + ')}) add up to ${formatDecimal(total)} ${indicator.unit}`,
        values: { [indicator.code]: formatDecimal(parentValue), ...childValues },
      });
    }
    return violations;
  }

  private compare(
    left: Expression,
    op: ComparisonOperator,
    right: Expression,
    tolerance: Scaled,
    values: Values,
  ): Violation[] {
    const l = evaluateExpression(left, values);
    const r = evaluateExpression(right, values);
    if (l === undefined || r === undefined || satisfies(l, op, r, tolerance)) return [];
    const codes = [...expressionIndicators(left), ...expressionIndicators(right)];
    return [
      {
        indicators: codes,
        messageZh: `${this.describe(left).zh}（${formatDecimal(l)}）应${OPERATOR_ZH[op]}${this.describe(right).zh}（${formatDecimal(r)}）`,
        messageEn: `${this.describe(left).en} (${formatDecimal(l)}) should be ${OPERATOR_EN[op]} ${this.describe(right).en} (${formatDecimal(r)})`,
        values: Object.fromEntries(
          codes.map((code) => [code, values.has(code) ? formatDecimal(values.get(code)!) : null]),
        ),
      },
    ];
  }

  private describe(expression: Expression): { zh: string; en: string } {
    if ('indicator' in expression) return this.label(expression.indicator);
    if ('sum' in expression) return { zh: expression.sum.join('+'), en: expression.sum.join(' + ') };
    return { zh: expression.constant, en: expression.constant };
  }

  private ratioBounds(check: Extract<Check, { kind: 'ratio-bounds' }>, values: Values): Violation[] {
    const numerator = values.get(check.numerator);
    const denominator = values.get(check.denominator);
    if (numerator === undefined || denominator === undefined || denominator === 0n) return [];
    const ratio = percent(numerator, denominator, 2)!;
    const belowMin =
      check.minPercent !== undefined && comparePercent(numerator, denominator, parseDecimal(check.minPercent)) < 0;
    const aboveMax =
      check.maxPercent !== undefined && comparePercent(numerator, denominator, parseDecimal(check.maxPercent)) > 0;
    if (!belowMin && !aboveMax) return [];
    const n = this.label(check.numerator);
    const d = this.label(check.denominator);
    const bound = belowMin ? `≥ ${check.minPercent}%` : `≤ ${check.maxPercent}%`;
    return [
      {
        indicators: [check.numerator, check.denominator],
        messageZh: `${n.zh}占${d.zh}的比例为${formatDecimal(ratio)}%，超出合理范围（${bound}）`,
        messageEn: `${n.en} is ${formatDecimal(ratio)}% of ${d.en}, outside the plausible range (${bound})`,
        values: {
          [check.numerator]: formatDecimal(numerator),
          [check.denominator]: formatDecimal(denominator),
          ratioPercent: formatDecimal(ratio),
        },
      },
    ];
  }

  private holds(condition: Condition, values: Values, context: EvaluationContext): boolean {
    switch (condition.kind) {
      case 'industry-section': {
        const section = context.enterprise?.industryCode?.charAt(0).toUpperCase();
        return section !== undefined && condition.sections.includes(section);
      }
      case 'compare': {
        const l = evaluateExpression(condition.left, values);
        const r = evaluateExpression(condition.right, values);
        return l !== undefined && r !== undefined && satisfies(l, condition.op, r, 0n);
      }
    }
  }

  private notDecreasing(codes: readonly string[], values: Values, previous: ReferenceFiling | undefined): Violation[] {
    if (!previous) return [];
    const before = toScaled(previous.values);
    return codes
      .filter((code) => values.has(code) && before.has(code) && values.get(code)! < before.get(code)!)
      .map((code) => {
        const { zh, en } = this.label(code);
        const now = formatDecimal(values.get(code)!);
        const then = formatDecimal(before.get(code)!);
        const unit = this.unit(code);
        return {
          indicators: [code],
          messageZh: `${zh}本期1—N月累计${now}${unit}，低于上期（${previous.period}，第${previous.revision}版）累计${then}${unit}`,
          messageEn: `${en} year-to-date is ${now} ${unit}, less than the previous month's (${previous.period}, revision ${previous.revision}) ${then} ${unit}`,
          values: { [code]: now, [`${code}@${previous.period}`]: then },
        };
      });
  }

  private yoyChange(
    check: Extract<Check, { kind: 'yoy-change' }>,
    values: Values,
    lastYear: ReferenceFiling | undefined,
  ): Violation[] {
    if (!lastYear) return [];
    const before = toScaled(lastYear.values);
    const minBase = parseDecimal(check.minBase);
    const limit = parseDecimal(check.maxChangePercent);
    const violations: Violation[] = [];
    for (const code of check.indicators) {
      const now = values.get(code);
      const then = before.get(code);
      if (now === undefined || then === undefined || abs(then) < minBase) continue;
      if (comparePercent(abs(now - then), abs(then), limit) <= 0) continue;
      const change = percent(now - then, abs(then), 2)!;
      const { zh, en } = this.label(code);
      const unit = this.unit(code);
      violations.push({
        indicators: [code],
        messageZh: `${zh}同比变化${formatDecimal(change)}%（本期${formatDecimal(now)}${unit}，上年同期${formatDecimal(then)}${unit}），超过±${check.maxChangePercent}%`,
        messageEn: `${en} changed ${formatDecimal(change)}% year on year (${formatDecimal(now)} ${unit} against ${formatDecimal(then)} ${unit}), beyond ±${check.maxChangePercent}%`,
        values: {
          [code]: formatDecimal(now),
          [`${code}@${lastYear.period}`]: formatDecimal(then),
          changePercent: formatDecimal(change),
        },
      });
    }
    return violations;
  }

  private matchesOtherForm(
    check: Extract<Check, { kind: 'matches-other-form' }>,
    values: Values,
    other: (ReferenceFiling & { formId: string }) | undefined,
  ): Violation[] {
    if (!other) return [];
    const theirs = toScaled(other.values);
    const limit = parseDecimal(check.maxDeviationPercent);
    const violations: Violation[] = [];
    for (const code of check.indicators) {
      const mine = values.get(code);
      const reference = theirs.get(code);
      if (mine === undefined || reference === undefined) continue;
      if (reference === 0n ? mine === 0n : comparePercent(abs(mine - reference), abs(reference), limit) <= 0) continue;
      const deviation = reference === 0n ? null : percent(mine - reference, abs(reference), 2);
      const { zh, en } = this.label(code);
      const unit = this.unit(code);
      const shown = deviation === null ? '—' : `${formatDecimal(round(deviation, 2))}%`;
      violations.push({
        indicators: [code],
        messageZh: `${zh}为${formatDecimal(mine)}${unit}，与${this.otherFormLabel(other.formId).zh}（${other.period}）的${formatDecimal(reference)}${unit}相差${shown}，超过${check.maxDeviationPercent}%`,
        messageEn: `${en} is ${formatDecimal(mine)} ${unit}, ${shown} off the ${other.formId} filing for ${other.period} (${formatDecimal(reference)} ${unit}), beyond ${check.maxDeviationPercent}%`,
        values: { [code]: formatDecimal(mine), [`${code}@${other.formId}`]: formatDecimal(reference) },
      });
    }
    return violations;
  }

  private outOfScope(): Violation {
    return {
      indicators: [],
      messageZh: `该企业在本期不属于《${this.form.titleZh}》的调查范围`,
      messageEn: `The enterprise is not in the survey scope of "${this.form.titleEn}" for this period`,
      values: {},
    };
  }
}

export function outcomeOf(findings: readonly Finding[]): Outcome {
  if (findings.some((finding) => finding.severity === 'error')) return 'rejected';
  if (findings.some((finding) => finding.severity === 'warning' && !finding.explanation)) return 'needs-explanation';
  return 'accepted';
}

const OPERATOR_ZH: Record<ComparisonOperator, string> = {
  '<=': '不大于',
  '<': '小于',
  '>=': '不小于',
  '>': '大于',
  '==': '等于',
};
const OPERATOR_EN: Record<ComparisonOperator, string> = {
  '<=': 'at most',
  '<': 'less than',
  '>=': 'at least',
  '>': 'more than',
  '==': 'equal to',
};

function toScaled(values: Readonly<Record<string, string>>): Map<string, Scaled> {
  const scaled = new Map<string, Scaled>();
  for (const [code, text] of Object.entries(values)) {
    if (typeof text === 'string' && isDecimalText(text)) scaled.set(code, parseDecimal(text));
  }
  return scaled;
}

function evaluateExpression(expression: Expression, values: Values): Scaled | undefined {
  if ('constant' in expression) return parseDecimal(expression.constant);
  if ('indicator' in expression) return values.get(expression.indicator);
  const reported = expression.sum.filter((code) => values.has(code));
  return reported.length === 0 ? undefined : reported.reduce((acc, code) => acc + values.get(code)!, 0n);
}

function expressionIndicators(expression: Expression): string[] {
  if ('indicator' in expression) return [expression.indicator];
  if ('sum' in expression) return [...expression.sum];
  return [];
}

function satisfies(left: Scaled, op: ComparisonOperator, right: Scaled, tolerance: Scaled): boolean {
  switch (op) {
    case '<=':
      return left <= right + tolerance;
    case '<':
      return left < right + tolerance;
    case '>=':
      return left + tolerance >= right;
    case '>':
      return left + tolerance > right;
    case '==':
      return abs(left - right) <= tolerance;
  }
}
