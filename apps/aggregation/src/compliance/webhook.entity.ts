import { defineEntity, p } from '@mikro-orm/core';

/** A street/town's or park's reminder webhook (one per target); the secret is sealed at rest (WebhookSecretBox). */
export const WebhookSchema = defineEntity({
  name: 'Webhook',
  tableName: 'compliance_webhook',
  properties: {
    targetKind: p.string().$type<'street' | 'park'>().primary(),
    targetCode: p.string().primary(),
    url: p.string(),
    secret: p.string().hidden(),
    updatedBy: p.string(),
    updatedAt: p.datetime(),
  },
});

export class Webhook extends WebhookSchema.class {}
WebhookSchema.setClass(Webhook);
