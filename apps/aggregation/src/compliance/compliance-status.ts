import { comparePercent, formatDecimal, fromInteger, parseDecimal, percent } from '@huoju/domain';

/**
 * Where an expected enterprise stands for one form and period (催报 status):
 * - filed-on-time: an accepted filing, first received by the due date (end of dueOn, Shanghai);
 * - filed-late: an accepted filing, first received after the due date;
 * - needs-explanation / rejected: the latest verdict, nothing accepted yet, grace period still running;
 * - not-filed: nothing received, grace period still running;
 * - overdue: the grace period ended without an accepted filing.
 */
export type ComplianceStatus =
  | 'overdue'
  | 'not-filed'
  | 'needs-explanation'
  | 'rejected'
  | 'filed-late'
  | 'filed-on-time';

/** The work queue's order: what a street team should chase first. */
export const WORK_QUEUE_ORDER: readonly ComplianceStatus[] = [
  'overdue',
  'not-filed',
  'needs-explanation',
  'rejected',
  'filed-late',
  'filed-on-time',
];

export const STATUS_ZH: Readonly<Record<ComplianceStatus, string>> = {
  overdue: '逾期未报',
  'not-filed': '未报送',
  'needs-explanation': '待说明',
  rejected: '被退回',
  'filed-late': '迟报',
  'filed-on-time': '按时报送',
};

/** Reminder kinds; each is sent at most once per enterprise, form and period. */
export type ReminderKind = 'due-soon' | 'overdue' | 'late-received';

export const REMINDER_TOPIC = {
  'due-soon': 'filing.due-soon.v1',
  overdue: 'filing.overdue.v1',
  'late-received': 'filing.late-received.v1',
} as const satisfies Record<ReminderKind, string>;

export function workQueueRank(status: ComplianceStatus): number {
  return WORK_QUEUE_ORDER.indexOf(status);
}

// One collator for every comparison: String#localeCompare with a locale may build one per call.
const byChineseName = new Intl.Collator('zh-CN');

/** Orders work-queue rows: by status rank, then by name so the list reads the same every time. */
export function byWorkQueue<T extends { status: ComplianceStatus; nameZh: string; uscc: string }>(a: T, b: T): number {
  return (
    workQueueRank(a.status) - workQueueRank(b.status) ||
    byChineseName.compare(a.nameZh, b.nameZh) ||
    (a.uscc < b.uscc ? -1 : a.uscc > b.uscc ? 1 : 0)
  );
}

export type StatusCounts = Readonly<Record<ComplianceStatus, number>>;

export function emptyCounts(): Record<ComplianceStatus, number> {
  return { overdue: 0, 'not-filed': 0, 'needs-explanation': 0, rejected: 0, 'filed-late': 0, 'filed-on-time': 0 };
}

export interface Rates {
  readonly expected: number;
  readonly filed: number;
  readonly filedOnTime: number;
  /** Accepted filings (on time or late) per expected enterprise, as a percentage with 2 decimals; null without expected enterprises. */
  readonly filingRate: string | null;
  /** Accepted filings first received by the due date per expected enterprise. */
  readonly onTimeRate: string | null;
}

export function ratesOf(counts: StatusCounts): Rates {
  const expected = Object.values(counts).reduce((total, count) => total + count, 0);
  const filed = counts['filed-on-time'] + counts['filed-late'];
  return {
    expected,
    filed,
    filedOnTime: counts['filed-on-time'],
    filingRate: rate(filed, expected),
    onTimeRate: rate(counts['filed-on-time'], expected),
  };
}

/** A percentage with 2 decimals, rounded half away from zero; null when nothing was expected. */
export function rate(part: number, whole: number): string | null {
  const value = percent(fromInteger(part), fromInteger(whole), 2);
  return value === null ? null : formatDecimal(value);
}

/** 一次通报、两次摘牌: the first period below the threshold is noticed, a second consecutive one is the second notice. */
export type NoticeLevel = 'first-notice' | 'second-notice';

export interface EvaluationOutcome {
  readonly below: boolean;
  /** Consecutive evaluated periods below the threshold, this one included (0 when at or above it). */
  readonly consecutiveBelow: number;
  readonly notice: NoticeLevel | null;
}

/** Compares the exact ratio with the threshold (no rounding first): 89.999% is below 90%. */
export function evaluateRate(
  filed: number,
  expected: number,
  thresholdPercent: string,
  previousConsecutiveBelow: number,
): EvaluationOutcome {
  const below =
    expected > 0 && comparePercent(fromInteger(filed), fromInteger(expected), parseDecimal(thresholdPercent)) < 0;
  const consecutiveBelow = below ? previousConsecutiveBelow + 1 : 0;
  return {
    below,
    consecutiveBelow,
    notice: consecutiveBelow === 0 ? null : consecutiveBelow === 1 ? 'first-notice' : 'second-notice',
  };
}
