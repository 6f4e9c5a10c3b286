import { z } from 'zod';
import { loadConfig } from '@huoju/platform';

/** The development key for webhook secrets at rest; production refuses to start with it. */
export const DEV_WEBHOOK_KEY = Buffer.from('huoju-dev-webhook-key-not-secret').toString('base64');

/**
 * The compliance feature's variables, part of the app's schema (aggregation.config.ts) so that the service
 * validates every variable once at start. Percentages are written 0–100: "90" means 90%.
 */
export const complianceConfigFields = z.object({
  /**
   * "off" for an instance that must not chase anyone, e.g. one replaying the log into a scratch schema:
   * its empty reminder table would otherwise send every reminder again.
   */
  COMPLIANCE_REMINDERS: z.enum(['on', 'off']).default('on'),
  /** Parks and carriers whose filing rate is below this percentage get a notice (一次通报、两次摘牌). */
  COMPLIANCE_NOTICE_THRESHOLD: z
    .string()
    .regex(/^\d{1,3}(\.\d{1,4})?$/, 'a percentage such as 90 or 92.5')
    .refine((value) => Number(value) > 0 && Number(value) <= 100, 'between 0 (exclusive) and 100')
    .default('90'),
  /** Hour of the day (Shanghai) on remindOn when due-soon reminders go out. */
  COMPLIANCE_REMIND_HOUR: z.coerce.number().int().min(0).max(23).default(9),
  /** How often late receipts are scanned, upcoming deadlines scheduled, closed periods evaluated and stuck deliveries re-queued. */
  COMPLIANCE_SWEEP_EVERY_MS: z.coerce.number().int().min(200).default(60_000),
  /** When deadlines already passed are caught up (besides at every start): cron, Asia/Shanghai. */
  COMPLIANCE_CATCH_UP_CRON: z.string().default('15 1 * * *'),
  /** Overdue notices missed while the service was down are still sent this many days after the grace end (not after the lock date). */
  COMPLIANCE_CATCH_UP_DAYS: z.coerce.number().int().min(0).default(31),
  /** Deadline and sweep jobs run at once. */
  COMPLIANCE_DEADLINE_CONCURRENCY: z.coerce.number().int().positive().default(2),
  /** Webhook deliveries in flight at once. */
  COMPLIANCE_WEBHOOK_CONCURRENCY: z.coerce.number().int().positive().default(4),
  /** Tries per webhook delivery (the first included) before it is marked failed. */
  COMPLIANCE_WEBHOOK_ATTEMPTS: z.coerce.number().int().positive().max(30).default(8),
  /** First retry delay; each further retry waits twice as long. */
  COMPLIANCE_WEBHOOK_BACKOFF_MS: z.coerce.number().int().positive().default(2_000),
  COMPLIANCE_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  /** Reminders recorded per transaction when a deadline passes for many enterprises at once. */
  COMPLIANCE_REMINDER_BATCH: z.coerce.number().int().positive().max(20_000).default(5_000),
  /** AES-256-GCM key (32 bytes, base64) that encrypts webhook secrets in the database. */
  COMPLIANCE_WEBHOOK_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, '32 bytes, base64-encoded')
    .default(DEV_WEBHOOK_KEY),
  /** Tests and local demos deliver reminders to 127.0.0.1 receivers; never in production. */
  COMPLIANCE_WEBHOOK_ALLOW_LOOPBACK: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

/** What production refuses: loopback webhook receivers and the development key. */
export function complianceProductionRules(
  config: z.infer<typeof complianceConfigFields> & { NODE_ENV: string },
  context: z.RefinementCtx,
): void {
  if (config.NODE_ENV !== 'production') return;
  if (config.COMPLIANCE_WEBHOOK_ALLOW_LOOPBACK)
    context.addIssue({
      code: 'custom',
      path: ['COMPLIANCE_WEBHOOK_ALLOW_LOOPBACK'],
      message: 'must be false in production',
    });
  if (config.COMPLIANCE_WEBHOOK_KEY === DEV_WEBHOOK_KEY)
    context.addIssue({
      code: 'custom',
      path: ['COMPLIANCE_WEBHOOK_KEY'],
      message: 'set a key of your own in production (openssl rand -base64 32)',
    });
}

const complianceConfigSchema = complianceConfigFields
  .extend({ NODE_ENV: z.enum(['development', 'test', 'production']).default('development') })
  .superRefine(complianceProductionRules);

export type ComplianceConfig = z.infer<typeof complianceConfigSchema>;
export const COMPLIANCE_CONFIG = Symbol('COMPLIANCE_CONFIG');

/** The feature's variables alone, for its unit tests (the service reads them with the app's schema). */
export function loadComplianceConfig(env: NodeJS.ProcessEnv = process.env): ComplianceConfig {
  return loadConfig('aggregation', complianceConfigSchema, env);
}
