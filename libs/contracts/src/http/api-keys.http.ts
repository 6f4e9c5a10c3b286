import { z } from 'zod';
import { roleText, safeText } from './common.http';

export const tokenSchema = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresAt: z.string(),
    role: roleText,
    scope: z.array(z.string()),
  })
  .meta({ id: 'AccessToken' });

export const apiKeyBody = z
  .object({
    role: roleText,
    scope: z
      .array(safeText(64))
      .max(200)
      .optional()
      .meta({ description: 'USCCs (enterprise), street/town codes (street) or park codes (park)' }),
    label: safeText(200).meta({ examples: ['ERP of 上海某某科技有限公司'] }),
  })
  .meta({ id: 'ApiKeyInput' });

export const apiKeyCreatedSchema = z
  .object({ id: z.string(), apiKey: z.string().meta({ description: 'id.secret — shown once' }) })
  .meta({ id: 'ApiKeyCreated' });

export const apiKeySummarySchema = z
  .object({
    id: z.string(),
    role: roleText,
    scope: z.array(z.string()),
    label: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

export const apiKeyParams = z.strictObject({ id: safeText(64) });
