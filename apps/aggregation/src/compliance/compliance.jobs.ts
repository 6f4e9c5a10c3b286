import type { ReminderKind } from './compliance-status';

/** The deadline queue: reminders at their time, the periodic sweep and the catch-up after downtime. */
export const DEADLINE_QUEUE = 'compliance-deadline';
/** The webhook queue: one job per delivery, retried with exponential back-off. */
export const WEBHOOK_QUEUE = 'compliance-webhook';

export enum DeadlineJob {
  /** remindDaysBefore days before the due date: remind every expected enterprise without an accepted filing. */
  DueSoon = 'DueSoon',
  /** When the grace period ends: report every expected enterprise still without an accepted filing. */
  Overdue = 'Overdue',
  /** Frequent: late receipts, upcoming deadline jobs, closed-period evaluations, stuck deliveries. */
  Sweep = 'Sweep',
  /** At start and daily: deadlines that passed while the service was down, or for enterprises added since. */
  CatchUp = 'CatchUp',
}

export interface DeadlineJobData {
  [DeadlineJob.DueSoon]: { formId: string; period: string; fireAt: string };
  [DeadlineJob.Overdue]: { formId: string; period: string; fireAt: string };
  [DeadlineJob.Sweep]: Record<string, never>;
  [DeadlineJob.CatchUp]: Record<string, never>;
}

export type DeadlineJobOf<T extends DeadlineJob> = DeadlineJobData[T];

export enum WebhookJob {
  Deliver = 'Deliver',
}

export interface WebhookJobData {
  [WebhookJob.Deliver]: { deliveryId: string };
}

export type WebhookJobOf<T extends WebhookJob> = WebhookJobData[T];

/** One job per form, period and kind, whichever instance or restart schedules it (BullMQ ids may not contain ':'). */
export function deadlineJobId(kind: Exclude<ReminderKind, 'late-received'>, formId: string, period: string): string {
  return `${kind}|${formId}|${period}`;
}

export function deliveryJobId(deliveryId: string): string {
  return `delivery|${deliveryId}`;
}
