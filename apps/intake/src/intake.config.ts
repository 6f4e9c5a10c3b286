import { z } from 'zod';
import { baseConfigSchema, jwksEnv, publicJwkOf, signingKeyEnv, type PublicJwks } from '@huoju/platform';

export const intakeConfigSchema = baseConfigSchema
  .extend({
    PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    /** The private Ed25519 JWK intake signs tokens with; no other service has it. */
    AUTH_SIGNING_KEY: signingKeyEnv,
    /** The public keys intake accepts and publishes at /.well-known/jwks.json; defaults to the signing key's. */
    AUTH_JWKS: jwksEnv.optional(),
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
    /** A revision in received/validating for longer than this is published again by the sweeper. */
    STUCK_FILING_AFTER_MS: z.coerce.number().int().positive().default(300_000),
    STUCK_FILING_SWEEP_MS: z.coerce.number().int().positive().default(60_000),
    /** Development only: the demo loader may date past filings (header demo-received-at); see demo-receipt-time.ts. */
    DEMO_BACKDATING: z.enum(['on', 'off']).default('off'),
  })
  .refine((config) => config.NODE_ENV !== 'production' || config.DEMO_BACKDATING === 'off', {
    path: ['DEMO_BACKDATING'],
    message: 'must be off in production',
  })
  .refine(
    (config) =>
      !config.AUTH_JWKS ||
      config.AUTH_JWKS.keys.some(
        (key) => key.kid === config.AUTH_SIGNING_KEY.kid && key.x === config.AUTH_SIGNING_KEY.x,
      ),
    { path: ['AUTH_JWKS'], message: 'must contain the public key of AUTH_SIGNING_KEY (same kid and x)' },
  );

export type IntakeConfig = z.infer<typeof intakeConfigSchema>;

/** The keys intake accepts: AUTH_JWKS when set (a rotation), else just the signing key's public half. */
export function intakeJwks(config: IntakeConfig): PublicJwks {
  return config.AUTH_JWKS ?? { keys: [publicJwkOf(config.AUTH_SIGNING_KEY)] };
}
export const INTAKE_CONFIG = Symbol('INTAKE_CONFIG');
