import { z } from 'zod';

/**
 * Request and response shapes of intake's sign-in, account, API-key and audit endpoints. Browser-safe
 * (zod only): the web console's typed client and the OpenAPI document use the same schemas.
 */

export const ROLE_VALUES = ['enterprise', 'street', 'park', 'commission', 'admin'] as const;
export const roleSchema = z.enum(ROLE_VALUES);
export type RoleName = z.infer<typeof roleSchema>;

/** USCCs (enterprise), 9-digit street/town codes (street) or park codes (park); empty for commission and admin. */
export const scopeSchema = z.array(z.string().min(1).max(32)).max(100);

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;
export const usernameSchema = z
  .string()
  .max(64, { abort: true })
  .regex(USERNAME_PATTERN, 'lower-case letters, digits, ".", "_" and "-", 3 to 64 characters');

/** The password policy's length bounds; the rest (character classes, not the username) is checked by intake. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
export const passwordSchema = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);

const displayNameSchema = z
  .string()
  .max(100, { abort: true })
  .refine((value) => value.trim().length > 0 && !value.includes('\u0000') && value.isWellFormed(), {
    message: 'a display name: 1 to 100 characters of well-formed text',
  });

export const signInRequestSchema = z
  .strictObject({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  })
  .meta({ id: 'SignInRequest' });
export type SignInRequest = z.infer<typeof signInRequestSchema>;

export const sessionAccountSchema = z
  .object({ username: z.string(), displayName: z.string(), role: roleSchema, scope: z.array(z.string()) })
  .meta({ id: 'SessionAccount' });

/** Answer of sign-in and refresh; the refresh token travels only in the HttpOnly cookie `huoju_refresh`. */
export const sessionResponseSchema = z
  .object({ accessToken: z.string(), expiresAt: z.iso.datetime(), account: sessionAccountSchema })
  .meta({ id: 'Session' });
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

export const REFRESH_COOKIE = 'huoju_refresh';
export const REFRESH_COOKIE_PATH = '/v1/auth';

export const meResponseSchema = z
  .object({
    subject: z.string(),
    role: roleSchema,
    scope: z.array(z.string()),
    username: z.string().optional(),
    displayName: z.string().optional(),
  })
  .meta({ id: 'Me' });
export type MeResponse = z.infer<typeof meResponseSchema>;

export const tokenResponseSchema = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresAt: z.iso.datetime(),
    role: roleSchema,
    scope: z.array(z.string()),
  })
  .meta({ id: 'Token' });

export const accountSchema = z
  .object({
    username: z.string(),
    displayName: z.string(),
    role: roleSchema,
    scope: z.array(z.string()),
    disabled: z.boolean(),
    createdAt: z.iso.datetime(),
    lastSignInAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Account' });
export type Account = z.infer<typeof accountSchema>;

export const createAccountRequestSchema = z
  .strictObject({
    username: usernameSchema,
    displayName: displayNameSchema,
    password: passwordSchema,
    role: roleSchema,
    scope: scopeSchema.default([]),
  })
  .meta({ id: 'CreateAccountRequest' });
export type CreateAccountRequest = z.infer<typeof createAccountRequestSchema>;

export const updateAccountRequestSchema = z
  .strictObject({
    displayName: displayNameSchema.optional(),
    role: roleSchema.optional(),
    scope: scopeSchema.optional(),
    disabled: z.boolean().optional(),
    password: passwordSchema.optional(),
  })
  .meta({ id: 'UpdateAccountRequest' });
export type UpdateAccountRequest = z.infer<typeof updateAccountRequestSchema>;

/** PATCH /v1/accounts/{username}: the service answers 404 for any name it does not hold. */
export const accountParamsSchema = z.strictObject({ username: z.string().min(1).max(64) });

const pageSchema = z.coerce.number().int().min(1).max(100_000).default(1);
const pageSizeSchema = z.coerce.number().int().min(1).max(200).default(50);

// Query schemas stay unnamed: OpenAPI lists them as parameters, not as components.
export const listAccountsQuerySchema = z.strictObject({
  page: pageSchema,
  pageSize: pageSizeSchema,
  q: z.string().max(64).optional(),
  role: roleSchema.optional(),
});
export type ListAccountsQuery = z.infer<typeof listAccountsQuerySchema>;

export const accountPageSchema = z
  .object({ items: z.array(accountSchema), total: z.int(), page: z.int(), pageSize: z.int() })
  .meta({ id: 'AccountPage' });

export const createApiKeyRequestSchema = z
  .strictObject({
    role: roleSchema,
    scope: scopeSchema.default([]),
    label: z.string().trim().min(1).max(200),
    /** Defaults to a year from now; at most two years. */
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .meta({ id: 'CreateApiKeyRequest' });
export type CreateApiKeyRequest = z.infer<typeof createApiKeyRequestSchema>;

export const apiKeySchema = z
  .object({
    id: z.string(),
    role: roleSchema,
    scope: z.array(z.string()),
    label: z.string(),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });

export const createdApiKeySchema = z
  .object({ id: z.string(), apiKey: z.string(), expiresAt: z.iso.datetime() })
  .meta({ id: 'CreatedApiKey' });

/** What aggregation and torch-export record in intake's audit log (the payload of audit.recorded.v1). */
export const REMOTE_AUDIT_ACTIONS = ['export.create', 'export.download', 'rollup.request'] as const;

export const AUDIT_ACTIONS = [
  'auth.sign-in',
  'auth.sign-in-failed',
  'auth.sign-out',
  'auth.refresh-reused',
  'auth.token',
  'auth.token-failed',
  'api-key.create',
  'api-key.revoke',
  'account.create',
  'account.update',
  'filing.return',
  'roster.change',
  'roster.import',
  ...REMOTE_AUDIT_ACTIONS,
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditQuerySchema = z.strictObject({
  page: pageSchema,
  pageSize: pageSizeSchema,
  actor: z.string().max(200).optional(),
  action: auditActionSchema.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEntrySchema = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    actor: z.string(),
    role: z.string(),
    action: auditActionSchema,
    target: z.string(),
    ip: z.string(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z
  .object({ items: z.array(auditEntrySchema), total: z.int(), page: z.int(), pageSize: z.int() })
  .meta({ id: 'AuditPage' });
