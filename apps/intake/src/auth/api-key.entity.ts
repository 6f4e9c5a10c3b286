import { defineEntity, p } from '@mikro-orm/core';
import type { Role } from '@huoju/platform';

/** A machine client's key (id.secret): only the secret's SHA-256 is stored; it expires and can be revoked. */
export const ApiKeySchema = defineEntity({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    id: p.string().primary(),
    secretSha256: p.string().hidden(),
    role: p.string().$type<Role>(),
    scope: p.array(),
    label: p.string(),
    createdBy: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
  },
});

export class ApiKey extends ApiKeySchema.class {}
ApiKeySchema.setClass(ApiKey);
