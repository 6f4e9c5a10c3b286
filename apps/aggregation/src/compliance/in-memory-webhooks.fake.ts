import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type {
  AttemptOutcome,
  AttemptRow,
  DeliveryLogRow,
  DeliveryRow,
  WebhookRepository,
  WebhookRow,
  WebhookTarget,
} from './webhook.repository';

type Public<T> = { [K in keyof T]: T[K] };

interface StoredWebhook extends WebhookRow {
  secret: string;
}

interface StoredDelivery {
  id: string;
  target: WebhookTarget;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  reminder: Pick<DeliveryRow, 'kind' | 'topic' | 'event_id' | 'payload' | 'uscc' | 'name_zh' | 'contact'> & {
    form_id: string;
    period: string;
    created_at: Date;
  };
}

const keyOf = (target: WebhookTarget) => `${target.kind}|${target.code}`;

/**
 * Compliance's webhook and delivery tables in memory, behind WebhookRepository's methods, for unit tests of
 * WebhookService and DeliveryDispatcher without PostgreSQL.
 */
export class InMemoryWebhooks {
  readonly webhooks = new Map<string, StoredWebhook>();
  readonly deliveries = new Map<string, StoredDelivery>();
  readonly attempts: AttemptRow[] = [];

  /** A MikroORM whose forks run transactions by just calling back (the fake ignores the EntityManager). */
  readonly orm = {
    em: { fork: () => ({ transactional: <T>(work: (em: EntityManager) => Promise<T>) => work({} as EntityManager) }) },
  } as unknown as MikroORM;

  /** A delivery as ReminderService would have recorded it. */
  addDelivery(id: string, target: WebhookTarget, createdAt: Date): void {
    this.deliveries.set(id, {
      id,
      target,
      state: 'pending',
      attempts: 0,
      lastError: null,
      createdAt,
      deliveredAt: null,
      reminder: {
        kind: 'overdue',
        topic: 'filing.overdue.v1',
        event_id: '00000000-0000-4000-8000-000000000001',
        payload: { period: '2026-09' },
        uscc: '91310000MA1K000001',
        name_zh: '真如测试企业',
        contact: { name: '王', phone: '13800000000', email: 'w@example.com' },
        form_id: 'torch-monthly',
        period: '2026-09',
        created_at: createdAt,
      },
    });
  }

  readonly repository: Public<WebhookRepository> = {
    save: async (_em, webhook) => {
      this.webhooks.set(keyOf(webhook), {
        url: webhook.url,
        secret: webhook.sealedSecret,
        updated_by: webhook.updatedBy,
        updated_at: webhook.updatedAt,
      });
    },
    find: async (_em, target) => {
      const stored = this.webhooks.get(keyOf(target));
      return stored && { url: stored.url, updated_by: stored.updated_by, updated_at: stored.updated_at };
    },
    deliveries: async (_em, target, limit) =>
      [...this.deliveries.values()]
        .filter((d) => keyOf(d.target) === keyOf(target))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id))
        .slice(0, limit)
        .map(
          (d): DeliveryLogRow => ({
            id: d.id,
            state: d.state,
            attempts: d.attempts,
            last_error: d.lastError,
            created_at: d.createdAt,
            delivered_at: d.deliveredAt,
            kind: d.reminder.kind,
            topic: d.reminder.topic,
            event_id: d.reminder.event_id,
            uscc: d.reminder.uscc,
            name_zh: d.reminder.name_zh,
            form_id: d.reminder.form_id,
            period: d.reminder.period,
          }),
        ),
    attempts: async (_em, ids) => this.attempts.filter((a) => ids.includes(a.delivery_id)),
    delivery: async (_em, id) => {
      const d = this.deliveries.get(id);
      if (!d) return undefined;
      const webhook = this.webhooks.get(keyOf(d.target));
      return {
        id: d.id,
        state: d.state,
        target_kind: d.target.kind,
        target_code: d.target.code,
        ...d.reminder,
        reminder_created_at: d.reminder.created_at,
        url: webhook?.url ?? null,
        secret: webhook?.secret ?? null,
      };
    },
    failWebhookRemoved: async (_em, id) => {
      Object.assign(this.deliveries.get(id)!, { state: 'failed', lastError: 'WEBHOOK_REMOVED' });
    },
    recordAttempt: async (_em, attempt: AttemptOutcome) => {
      this.attempts.push({
        delivery_id: attempt.deliveryId,
        attempt: attempt.attempt,
        url: attempt.url,
        attempted_at: attempt.attemptedAt,
        status_code: attempt.statusCode,
        error: attempt.error,
        duration_ms: attempt.durationMs,
      });
      const delivery = this.deliveries.get(attempt.deliveryId);
      if (delivery?.state !== 'pending') return;
      Object.assign(delivery, {
        attempts: Math.max(delivery.attempts, attempt.attempt),
        lastError: attempt.error,
        state: attempt.state,
        deliveredAt: attempt.deliveredAt,
      });
    },
    pendingIds: async (_em, before, limit) =>
      [...this.deliveries.values()]
        .filter((d) => d.state === 'pending' && d.createdAt < before)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .slice(0, limit)
        .map((d) => d.id),
  };
}
