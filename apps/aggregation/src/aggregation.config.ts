import { z } from 'zod';
import { baseConfigSchema, quotaEnv, verifierConfigSchema } from '@huoju/platform';
import { complianceConfigFields, complianceProductionRules } from './compliance/compliance.config';

export const aggregationConfigSchema = baseConfigSchema
  .extend({
    PORT: z.coerce.number().int().min(0).max(65535).default(3003),
    AUTH_JWKS: verifierConfigSchema.shape.AUTH_JWKS,
    KAFKA_PARTITIONS: z.coerce.number().int().positive().default(3),
    DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
    /** Roll-up jobs run at once (each is one park's period). */
    ROLLUP_CONCURRENCY: z.coerce.number().int().positive().default(2),
    /** Accepted filings arriving within this window share one roll-up of their park's period. */
    ROLLUP_DEBOUNCE_MS: z.coerce.number().int().min(0).default(1000),
    /**
     * A provisional roll-up (the figures are already current by their deltas; it only reconciles) waits until
     * its park's period has had no new filing for this long, so that it does not hold the figures' locks
     * while filings stream in; 0 runs it at once.
     */
    ROLLUP_QUIET_MS: z.coerce.number().int().min(0).default(3000),
    /**
     * …but not longer than this after the first filing it reconciles. Long on purpose: a park of 20,000–30,000
     * enterprises takes 16 s on average to reconcile under load, and with a 2-minute limit the 250,000-enterprise
     * bench spent the whole filing in back-to-back reconciliations that held the deltas' locks (aggregation applied
     * 3,950 verdicts in 12 minutes).
     */
    ROLLUP_MAX_DEFER_MS: z.coerce.number().int().min(0).default(1_800_000),
    /** How often pending roll-ups recorded in PostgreSQL are checked against the queue (after a Redis flush). */
    ROLLUP_RECONCILE_EVERY_MS: z.coerce.number().int().min(200).default(60_000),
    /** On-demand roll-up requests per principal and hour or Shanghai day (429 beyond), on top of the rate limits. */
    ROLLUP_QUOTA: quotaEnv.prefault('60/hour'),
    /** When the daily closing roll-up runs (cron, Asia/Shanghai): periods whose grace ended are rolled up as final. */
    ROLLUP_CLOSE_CRON: z.string().default('30 0 * * *'),
    /** The schema's base name: a rebuild replays the log into another one and compares. */
    AGGREGATION_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/)
      .default('aggregation'),
    /** Consumer group; a rebuild reads the topics from the beginning under a group of its own. */
    CONSUMER_GROUP: z.string().default('aggregation'),
  })
  // The compliance feature's variables (COMPLIANCE_*): one schema, validated once at start.
  .extend(complianceConfigFields.shape)
  .superRefine(complianceProductionRules);

export type AggregationConfig = z.infer<typeof aggregationConfigSchema>;
export const AGGREGATION_CONFIG = Symbol('AGGREGATION_CONFIG');
