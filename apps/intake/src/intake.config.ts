import { z } from 'zod';
import { baseConfigSchema } from '@huoju/platform';

export const intakeConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** Signs and verifies bearer tokens; shared with the other HTTP services. */
  AUTH_TOKEN_SECRET: z.string().min(32),
  AUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().max(900).default(900),
  /** How long a console sign-in lasts without activity: each refresh rotates the cookie and restarts it. */
  AUTH_REFRESH_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(12 * 3600),
  /** A refresh token presented again within this many seconds (two tabs at once) is not treated as stolen. */
  AUTH_REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
  /** Bootstraps administration: an API key with the admin role (id.secret), accepted without a database row. */
  ADMIN_API_KEY: z
    .string()
    .regex(/^[\w-]+\.[\w-]{16,}$/, 'id.secret with a secret of 16+ characters')
    .optional(),
  /** Requests per minute per API key or token subject. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  KAFKA_PARTITIONS: z.coerce.number().int().positive().default(3),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
});

export type IntakeConfig = z.infer<typeof intakeConfigSchema>;
export const INTAKE_CONFIG = Symbol('INTAKE_CONFIG');
