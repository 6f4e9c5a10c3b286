// Response shapes of the services as the console reads them. One home until the shared HTTP schemas of
// @huoju/contracts/http land (feat/contracts); then these become z.infer<> of those schemas.
import type { Role } from './session';

export type { Role };
export type FormId = 'torch-monthly' | 'torch-annual';

export interface Indicator {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly unit: string;
  readonly kind: 'flow' | 'stock' | 'count' | 'average' | string;
  readonly signed: boolean;
  readonly decimals: number;
  readonly required: boolean;
  readonly parent?: string;
  readonly section: string;
}

export interface FormDefinition {
  readonly formId: FormId;
  readonly version: string;
  readonly titleZh: string;
  readonly titleEn: string;
  readonly periodType: 'month' | 'year';
  readonly indicators: readonly Indicator[];
  readonly deadlines?: {
    readonly period: string;
    readonly opensOn: string;
    readonly dueOn: string;
    readonly graceEndsOn: string;
    readonly locksOn: string;
  };
}

export interface ExplanationReason {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
}

export interface FormRules {
  readonly explanationReasons: readonly ExplanationReason[];
  readonly rules: readonly { code: string; severity: string; titleZh: string; titleEn: string }[];
}

export interface Finding {
  readonly ruleCode: string;
  readonly severity: 'error' | 'warning' | string;
  readonly indicators: readonly string[];
  readonly pointer: string;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly remedyZh?: string;
  readonly remedyEn?: string;
}

export interface DryRun {
  readonly outcome: 'accepted' | 'needs-explanation' | 'rejected';
  readonly findings: readonly Finding[];
}

export interface Explanation {
  readonly ruleCode: string;
  readonly reasonCode: string;
  readonly text: string;
}

export interface Receipt {
  readonly filingId: string;
  readonly revision: number;
  readonly contentSha256: string;
  readonly receivedAt: string;
  readonly status?: string;
  readonly links: { readonly filing: string };
  readonly [key: string]: unknown;
}

export interface FilingSummary {
  readonly id: string;
  readonly uscc: string;
  readonly formId: FormId;
  readonly period: string;
  readonly status: string;
  readonly currentRevision: number;
  readonly updatedAt: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

export interface RevisionDetail {
  readonly revision: number;
  readonly attempt: number;
  readonly status: string;
  readonly outcome: string | null;
  readonly formVersion: string;
  readonly values: Readonly<Record<string, string>>;
  readonly explanations: readonly Explanation[];
  readonly findings: readonly Finding[];
  readonly contentSha256: string;
  readonly receivedAt: string;
  readonly validatedAt: string | null;
  readonly returned: { comment?: string; at?: string } | null;
}

export interface Filing extends FilingSummary {
  readonly deadlines: { dueOn: string; graceEndsOn: string; locksOn: string };
  readonly current: RevisionDetail;
  readonly revisions: readonly {
    revision: number;
    status: string;
    outcome: string | null;
    receivedAt: string;
    contentSha256: string;
  }[];
}

export type ComplianceStatus =
  | 'overdue'
  | 'not-filed'
  | 'needs-explanation'
  | 'rejected'
  | 'filed-late'
  | 'filed-on-time';

export interface Rates {
  readonly expected: number;
  readonly filed: number;
  readonly filedOnTime: number;
  readonly filingRate: string | null;
  readonly onTimeRate: string | null;
}

export interface WorkQueueItem {
  readonly status: ComplianceStatus;
  readonly uscc: string;
  readonly nameZh: string;
  readonly contact: { name: string; phone: string; email: string };
  readonly parkCode: string;
  readonly parkNameZh: string | null;
  readonly subParkCode: string;
  readonly streetCode: string;
  readonly streetNameZh: string | null;
  readonly latestOutcome: string | null;
  readonly firstReceivedAt: string | null;
  readonly daysLate: number | null;
  readonly dueOn: string;
}

export interface Compliance extends Rates {
  readonly formId: FormId;
  readonly period: string;
  readonly asOf: string;
  readonly scope: { kind: 'zone' | 'street' | 'park'; codes: readonly string[]; namesZh: readonly (string | null)[] };
  readonly calendar: {
    opensOn: string;
    dueOn: string;
    graceEndsOn: string;
    locksOn: string;
    dueAt: string;
    graceEndsAt: string;
    locksAt: string;
  };
  readonly counts: Readonly<Record<ComplianceStatus, number>>;
  readonly queue: readonly WorkQueueItem[];
}

export interface TrendPoint extends Rates {
  readonly period: string;
  readonly counts: Readonly<Record<ComplianceStatus, number>>;
}

export interface Trend {
  readonly asOf: string;
  readonly points: readonly TrendPoint[];
}
