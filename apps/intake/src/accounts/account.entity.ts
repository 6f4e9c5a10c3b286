import { defineEntity, p } from '@mikro-orm/core';
import type { Role } from '@huoju/platform';

/** A person who signs in to the console: an argon2id password hash, a role and its scope like an API key. */
export const AccountSchema = defineEntity({
  name: 'Account',
  tableName: 'account',
  properties: {
    username: p.string().primary(),
    displayName: p.string(),
    passwordHash: p.string().hidden(),
    role: p.string().$type<Role>(),
    scope: p.array(),
    disabled: p.boolean().default(false),
    createdBy: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    passwordChangedAt: p.datetime().onCreate(() => new Date()),
    lastSignInAt: p.datetime().nullable(),
  },
});

export class Account extends AccountSchema.class {}
AccountSchema.setClass(Account);
