import { DeliveryAttemptSchema, WebhookDeliverySchema } from './webhook-delivery.entity';
import { WebhookSchema } from './webhook.entity';

/** Compliance's entities: what changes one row at a time (reminders and evaluations stay set-based SQL). */
export const COMPLIANCE_ENTITIES = [WebhookSchema, WebhookDeliverySchema, DeliveryAttemptSchema];
