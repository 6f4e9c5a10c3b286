import { z } from 'zod';
import { baseConfigSchema } from '@huoju/platform';

export const validationConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  KAFKA_PARTITIONS: z.coerce.number().int().positive().default(3),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /** Tries per message before it is parked in the dead-letter topic; a filing may wait for its roster entry. */
  CONSUMER_ATTEMPTS: z.coerce.number().int().positive().default(8),
});

export type ValidationConfig = z.infer<typeof validationConfigSchema>;
export const VALIDATION_CONFIG = Symbol('VALIDATION_CONFIG');
