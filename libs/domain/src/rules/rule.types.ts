import type { FormId } from '../catalog';

/** error blocks the filing; warning needs a specific explanation; info is advice only. */
export type Severity = 'error' | 'warning' | 'info';

export type ComparisonOperator = '<=' | '<' | '>=' | '>' | '==';

/** A value in a rule: an indicator, the sum of several, or a constant decimal. */
export type Expression = { indicator: string } | { sum: readonly string[] } | { constant: string };

/** A condition on the filing or the filer, for conditional requirements. */
export type Condition =
  | { kind: 'industry-section'; sections: readonly string[] }
  | { kind: 'compare'; left: Expression; op: ComparisonOperator; right: Expression };

/** What a rule checks. Cross-period checks read the context (previous month, last year, the annual report). */
export type Check =
  | { kind: 'required'; indicators: readonly string[] }
  | { kind: 'non-negative' }
  | { kind: 'integer' }
  | { kind: 'child-not-above-parent'; pairs?: readonly (readonly [child: string, parent: string])[] }
  | { kind: 'sum-of-children'; tolerance: string }
  | { kind: 'compare'; left: Expression; op: ComparisonOperator; right: Expression; tolerance?: string }
  | { kind: 'ratio-bounds'; numerator: string; denominator: string; minPercent?: string; maxPercent?: string }
  | { kind: 'required-if'; when: Condition; indicators: readonly string[] }
  | { kind: 'ytd-not-decreasing'; indicators: readonly string[] }
  | { kind: 'yoy-change'; indicators: readonly string[]; maxChangePercent: string; minBase: string }
  | { kind: 'matches-other-form'; indicators: readonly string[]; maxDeviationPercent: string }
  | { kind: 'in-scope' };

export type CheckKind = Check['kind'];

export interface RuleDefinition {
  /** Stable code, e.g. TM-PAR-001; never reused for a different check. */
  readonly code: string;
  readonly severity: Severity;
  readonly titleZh: string;
  readonly titleEn: string;
  readonly remedyZh: string;
  readonly remedyEn: string;
  readonly check: Check;
}

export interface RuleSet {
  readonly formId: FormId;
  /** Versioned together with the form version it belongs to. */
  readonly formVersion: string;
  readonly version: string;
  readonly rules: readonly RuleDefinition[];
}

/** Values as exact decimal text, keyed by indicator code. Missing means not reported. */
export type FilingValues = Readonly<Record<string, string>>;

export interface ReferenceFiling {
  readonly period: string;
  readonly revision: number;
  readonly values: FilingValues;
}

/** What the engine may know beyond the filing itself. Absent context means the check is not applicable. */
export interface EvaluationContext {
  readonly enterprise?: {
    readonly industryCode?: string;
    /** Whether the roster puts the enterprise in scope for this form and period; undefined when unknown. */
    readonly inScope?: boolean;
  };
  /** The enterprise's latest accepted filing of the previous month of the same year (monthly forms). */
  readonly previousMonth?: ReferenceFiling;
  /** The enterprise's latest accepted filing for the same period one year earlier. */
  readonly sameMonthLastYear?: ReferenceFiling;
  /** The counterpart on the other form: the annual report for a December monthly filing, or December's monthly filing for an annual report. */
  readonly otherForm?: ReferenceFiling & { readonly formId: FormId };
}

export interface Explanation {
  readonly ruleCode: string;
  /** The indicator the warning is about, when the rule names several. */
  readonly indicator?: string;
  readonly reasonCode: string;
  readonly text: string;
}

export interface Finding {
  readonly ruleCode: string;
  readonly severity: Severity;
  readonly indicators: readonly string[];
  /** JSON pointer into the filing body, e.g. /values/qc55. */
  readonly pointer: string;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly remedyZh: string;
  readonly remedyEn: string;
  /** The values involved, as exact decimal text (null where not reported). */
  readonly values: Readonly<Record<string, string | null>>;
  /** Present on warnings the enterprise has explained acceptably. */
  readonly explanation?: { readonly reasonCode: string; readonly text: string };
}

export type Outcome = 'accepted' | 'needs-explanation' | 'rejected';

export interface EvaluationResult {
  readonly outcome: Outcome;
  readonly formId: FormId;
  readonly formVersion: string;
  readonly ruleSetVersion: string;
  readonly findings: readonly Finding[];
  readonly rulesEvaluated: number;
}
