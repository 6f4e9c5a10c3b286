import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';

export type WebhookTargetKind = 'street' | 'park';

export interface WebhookTarget {
  readonly kind: WebhookTargetKind;
  readonly code: string;
}

export interface WebhookRow {
  url: string;
  updated_by: string;
  updated_at: Date;
}

export interface DeliveryLogRow {
  id: string;
  state: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
  kind: string;
  topic: string | null;
  event_id: string | null;
  uscc: string;
  name_zh: string;
  form_id: string;
  period: string;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  url: string;
  attempted_at: Date;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** A delivery with its reminder and the webhook it goes to now (url and secret null when it was removed). */
export interface DeliveryRow {
  id: string;
  state: string;
  target_kind: WebhookTargetKind;
  target_code: string;
  kind: string;
  topic: string | null;
  event_id: string | null;
  payload: unknown;
  uscc: string;
  name_zh: string;
  contact: { name: string; phone: string; email: string };
  reminder_created_at: Date | string;
  url: string | null;
  secret: string | null;
}

export interface DeliveryAttempt {
  readonly deliveryId: string;
  readonly attempt: number;
  readonly url: string;
  readonly attemptedAt: Date;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  /** The delivery's state after this attempt. */
  readonly state: 'delivered' | 'failed' | 'pending';
  readonly deliveredAt: Date | null;
}

/** Webhooks per street/park and their deliveries with every attempt (the use cases are in WebhookService). */
@Injectable()
export class WebhookRepository {
  async save(
    em: EntityManager,
    webhook: WebhookTarget & { url: string; sealedSecret: string; updatedBy: string; updatedAt: Date },
  ): Promise<void> {
    await em.execute(
      `INSERT INTO compliance_webhook (target_kind, target_code, url, secret, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (target_kind, target_code) DO UPDATE SET url = excluded.url, secret = excluded.secret, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [
        webhook.kind,
        webhook.code,
        webhook.url,
        webhook.sealedSecret,
        webhook.updatedBy,
        webhook.updatedAt.toISOString(),
      ],
    );
  }

  async find(em: EntityManager, target: WebhookTarget): Promise<WebhookRow | undefined> {
    const [row] = await em.execute<WebhookRow[]>(
      'SELECT url, updated_by, updated_at FROM compliance_webhook WHERE target_kind = ? AND target_code = ?',
      [target.kind, target.code],
    );
    return row;
  }

  /** The target's deliveries, newest first. */
  async deliveries(em: EntityManager, target: WebhookTarget, limit: number): Promise<DeliveryLogRow[]> {
    return em.execute<DeliveryLogRow[]>(
      `SELECT d.id, d.state, d.attempts, d.last_error, d.created_at, d.delivered_at, r.kind, r.topic, r.event_id, r.uscc, r.name_zh, r.form_id, r.period
         FROM compliance_delivery d JOIN compliance_reminder r ON r.id = d.reminder_id
        WHERE d.target_kind = ? AND d.target_code = ? ORDER BY d.created_at DESC, d.id LIMIT ?`,
      [target.kind, target.code, limit],
    );
  }

  async attempts(em: EntityManager, deliveryIds: readonly string[]): Promise<AttemptRow[]> {
    return em.execute<AttemptRow[]>(
      `SELECT delivery_id, attempt, url, attempted_at, status_code, error, duration_ms FROM compliance_delivery_attempt
        WHERE delivery_id IN (SELECT jsonb_array_elements_text(?::jsonb)::uuid) ORDER BY delivery_id, attempt, id`,
      [JSON.stringify(deliveryIds)],
    );
  }

  async delivery(em: EntityManager, deliveryId: string): Promise<DeliveryRow | undefined> {
    const [row] = await em.execute<DeliveryRow[]>(
      `SELECT d.id, d.state, d.target_kind, d.target_code, r.kind, r.topic, r.event_id, r.payload, r.uscc, r.name_zh, r.contact,
              r.created_at AS reminder_created_at, w.url, w.secret
         FROM compliance_delivery d
         JOIN compliance_reminder r ON r.id = d.reminder_id
         LEFT JOIN compliance_webhook w ON w.target_kind = d.target_kind AND w.target_code = d.target_code
        WHERE d.id = ?`,
      [deliveryId],
    );
    return row;
  }

  /** The webhook was removed after the reminder: nothing to send it to. */
  async failWebhookRemoved(em: EntityManager, deliveryId: string): Promise<void> {
    await em.execute(`UPDATE compliance_delivery SET state = 'failed', last_error = 'WEBHOOK_REMOVED' WHERE id = ?`, [
      deliveryId,
    ]);
  }

  /** The attempt's log row and the delivery's new state, in the caller's transaction; a settled delivery stays as it is. */
  async recordAttempt(tx: EntityManager, attempt: DeliveryAttempt): Promise<void> {
    await tx.execute(
      `INSERT INTO compliance_delivery_attempt (delivery_id, attempt, url, attempted_at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        attempt.deliveryId,
        attempt.attempt,
        attempt.url,
        attempt.attemptedAt.toISOString(),
        attempt.statusCode,
        attempt.error,
        attempt.durationMs,
      ],
    );
    await tx.execute(
      `UPDATE compliance_delivery SET attempts = greatest(attempts, ?), last_error = ?, state = ?, delivered_at = ? WHERE id = ? AND state = 'pending'`,
      [
        attempt.attempt,
        attempt.error,
        attempt.state,
        attempt.deliveredAt ? attempt.deliveredAt.toISOString() : null,
        attempt.deliveryId,
      ],
    );
  }

  /** Pending deliveries created before `before`, oldest first: those a crash may have left unqueued. */
  async pendingIds(em: EntityManager, before: Date, limit: number): Promise<string[]> {
    const rows = await em.execute<{ id: string }[]>(
      `SELECT id FROM compliance_delivery WHERE state = 'pending' AND created_at < ?::timestamptz ORDER BY created_at LIMIT ?`,
      [before.toISOString(), limit],
    );
    return rows.map((row) => row.id);
  }
}
