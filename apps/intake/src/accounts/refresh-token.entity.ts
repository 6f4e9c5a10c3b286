import { defineEntity, p } from '@mikro-orm/core';

/**
 * One refresh token of a sign-in "family" (the sign-in and every rotation after it), stored as its
 * SHA-256 only. A token is used once; presenting a used one again means it was stolen, so the family is revoked.
 */
export const RefreshTokenSchema = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_token',
  properties: {
    tokenSha256: p.string().primary(),
    familyId: p.uuid(),
    username: p.string(),
    issuedAt: p.datetime(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

export class RefreshToken extends RefreshTokenSchema.class {}
RefreshTokenSchema.setClass(RefreshToken);
