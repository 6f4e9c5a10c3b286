import { z } from 'zod';
import { baseConfigSchema } from '@huoju/platform';

export const intakeConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** Signs and verifies bearer tokens; shared with the other HTTP services. */
  AUTH_TOKEN_SECRET: z.string().min(32),
  AUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
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
  /** A revision in received/validating for longer than this is published again by the sweeper. */
  STUCK_FILING_AFTER_MS: z.coerce.number().int().positive().default(300_000),
  STUCK_FILING_SWEEP_MS: z.coerce.number().int().positive().default(60_000),
});

export type IntakeConfig = z.infer<typeof intakeConfigSchema>;
export const INTAKE_CONFIG = Symbol('INTAKE_CONFIG');
