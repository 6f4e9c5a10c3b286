import { Injectable } from '@nestjs/common';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { DeliveryAttempt, WebhookDelivery, type DeliveryState } from './webhook-delivery.entity';
import { Webhook } from './webhook.entity';

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

export interface AttemptOutcome {
  readonly deliveryId: string;
  readonly attempt: number;
  readonly url: string;
  readonly attemptedAt: Date;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  /** The delivery's state after this attempt. */
  readonly state: DeliveryState;
  readonly deliveredAt: Date | null;
}

/** Webhooks per street/park and their deliveries with every attempt (the use cases are in WebhookService). */
@Injectable()
export class WebhookRepository {
  /** Sets the target's webhook, replacing the one it had: one statement, so two PUTs racing cannot collide. */
  async save(
    em: EntityManager,
    webhook: WebhookTarget & { url: string; sealedSecret: string; updatedBy: string; updatedAt: Date },
  ): Promise<void> {
    await em.upsert(Webhook, {
      targetKind: webhook.kind,
      targetCode: webhook.code,
      url: webhook.url,
      secret: webhook.sealedSecret,
      updatedBy: webhook.updatedBy,
      updatedAt: webhook.updatedAt,
    });
  }

  async find(em: EntityManager, target: WebhookTarget): Promise<WebhookRow | undefined> {
    const webhook = await em.findOne(Webhook, { targetKind: target.kind, targetCode: target.code });
    return webhook ? { url: webhook.url, updated_by: webhook.updatedBy, updated_at: webhook.updatedAt } : undefined;
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
    if (deliveryIds.length === 0) return [];
    const attempts = await em.find(
      DeliveryAttempt,
      { deliveryId: { $in: [...deliveryIds] } },
      { orderBy: { deliveryId: 'asc', attempt: 'asc', id: 'asc' } },
    );
    return attempts.map((a) => ({
      delivery_id: a.deliveryId,
      attempt: a.attempt,
      url: a.url,
      attempted_at: a.attemptedAt,
      status_code: a.statusCode ?? null,
      error: a.error ?? null,
      duration_ms: a.durationMs,
    }));
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
    const delivery = await em.findOne(WebhookDelivery, { id: deliveryId });
    if (!delivery) return;
    delivery.state = 'failed';
    delivery.lastError = 'WEBHOOK_REMOVED';
    await em.flush();
  }

  /**
   * The attempt's log row and the delivery's new state, in the caller's transaction. The delivery is locked
   * first, so a second worker's attempt waits; a delivery already settled keeps its state.
   */
  async recordAttempt(tx: EntityManager, attempt: AttemptOutcome): Promise<void> {
    tx.create(DeliveryAttempt, {
      deliveryId: attempt.deliveryId,
      attempt: attempt.attempt,
      url: attempt.url,
      attemptedAt: attempt.attemptedAt,
      statusCode: attempt.statusCode,
      error: attempt.error,
      durationMs: attempt.durationMs,
    });
    const delivery = await tx.findOne(
      WebhookDelivery,
      { id: attempt.deliveryId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (delivery?.state === 'pending') {
      delivery.attempts = Math.max(delivery.attempts, attempt.attempt);
      delivery.lastError = attempt.error;
      delivery.state = attempt.state;
      delivery.deliveredAt = attempt.deliveredAt;
    }
    await tx.flush();
  }

  /** Pending deliveries created before `before`, oldest first: those a crash may have left unqueued. */
  async pendingIds(em: EntityManager, before: Date, limit: number): Promise<string[]> {
    const pending = await em.find(
      WebhookDelivery,
      { state: 'pending', createdAt: { $lt: before } },
      { orderBy: { createdAt: 'asc' }, limit, fields: ['id'] },
    );
    return pending.map((delivery) => delivery.id);
  }
}
