import path from 'node:path';
import { z } from 'zod';
import { park } from '@huoju/domain';
import { baseConfigSchema, quotaEnv, verifierConfigSchema } from '@huoju/platform';
import { EXPORT_FORMATS, type ExportFormat } from '@huoju/torch-files';

export { EXPORT_FORMATS, type ExportFormat };

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export const torchExportConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3004),
  AUTH_JWKS: verifierConfigSchema.shape.AUTH_JWKS,
  /**
   * Scratch space where an instance writes a file and its manifest before they go into the file store
   * (EXPORT_FILE_STORE); nothing is served from here. Created at start.
   */
  EXPORT_DIR: z
    .string()
    .min(1)
    .default('exports/torch-export')
    .transform((dir) => path.resolve(dir)),
  /** Where finished files and manifests live, readable by every instance: `postgres` (its own schema). */
  EXPORT_FILE_STORE: z.enum(['postgres']).default('postgres'),
  /** A finished export's file and manifest are deleted this long after it completed (#12: files never kept forever). */
  EXPORT_FILE_MAX_AGE_HOURS: z.coerce
    .number()
    .positive()
    .default(7 * 24),
  /** How often the BullMQ job scheduler runs the expiry (one instance per run). */
  EXPORT_FILE_EXPIRY_EVERY_MS: z.coerce.number().int().min(200).default(3_600_000),
  /**
   * How often export rows still queued or running are checked against the BullMQ queue (also when Redis
   * comes back): a job lost with a flush, or never added because Redis was down, is queued again.
   */
  EXPORT_RECONCILE_EVERY_MS: z.coerce.number().int().min(200).default(60_000),
  /** Export jobs one instance runs at once (each holds one database snapshot and one file). */
  EXPORT_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** Rows fetched from the cursor per round trip. */
  EXPORT_FETCH_SIZE: z.coerce.number().int().min(50).max(50_000).default(2000),
  EXPORT_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** Parks whose months are exported when aggregation reports them rolled up, e.g. "CORE,PT". */
  AUTO_EXPORT_PARKS: z
    .string()
    .default('')
    .transform(list)
    .refine((codes) => codes.every((code) => park(code) !== undefined), 'unknown park code in AUTO_EXPORT_PARKS'),
  /** Formats written by automatic exports. */
  AUTO_EXPORT_FORMATS: z
    .string()
    .default('xlsx')
    .transform(list)
    .pipe(z.array(z.enum(EXPORT_FORMATS)).min(1)),
  /**
   * Roll-ups completed longer ago than this are not exported automatically: rebuilding the projection from
   * the Kafka log replays every roll-up ever, and must not re-export them all.
   */
  AUTO_EXPORT_MAX_AGE_HOURS: z.coerce.number().positive().default(168),
  /** Export requests per principal and hour or Shanghai day (429 beyond), on top of the rate limits. */
  EXPORT_QUOTA: quotaEnv.prefault('100/day'),
  KAFKA_PARTITIONS: z.coerce.number().int().positive().default(3),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
});

export type TorchExportConfig = z.infer<typeof torchExportConfigSchema>;
export const TORCH_EXPORT_CONFIG = Symbol('TORCH_EXPORT_CONFIG');
