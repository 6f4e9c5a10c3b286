import { defineEntity, p } from '@mikro-orm/core';

export type DeliveryState = 'pending' | 'delivered' | 'failed';

/**
 * One reminder's delivery to one webhook target. Rows are created set-based with their reminder
 * (ReminderRepository.insertDeliveries); each attempt then changes one delivery at a time.
 */
export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'compliance_delivery',
  properties: {
    id: p.uuid().primary(),
    reminderId: p.bigint('string'),
    targetKind: p.string().$type<'street' | 'park'>(),
    targetCode: p.string(),
    state: p.string().$type<DeliveryState>(),
    attempts: p.integer(),
    lastError: p.string().nullable(),
    createdAt: p.datetime(),
    deliveredAt: p.datetime().nullable(),
  },
});

export class WebhookDelivery extends WebhookDeliverySchema.class {}
WebhookDeliverySchema.setClass(WebhookDelivery);

/** The log of one attempt: what was sent where, and what came back (a code, never the network's text). */
export const DeliveryAttemptSchema = defineEntity({
  name: 'DeliveryAttempt',
  tableName: 'compliance_delivery_attempt',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    deliveryId: p.uuid(),
    attempt: p.integer(),
    url: p.string(),
    attemptedAt: p.datetime(),
    statusCode: p.integer().nullable(),
    error: p.string().nullable(),
    durationMs: p.integer(),
  },
});

export class DeliveryAttempt extends DeliveryAttemptSchema.class {}
DeliveryAttemptSchema.setClass(DeliveryAttempt);
