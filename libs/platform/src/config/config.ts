import { z } from 'zod';

/**
 * Environment variables every service reads. Each app extends this with its own few variables and
 * validates the result once at boot; a wrong or missing variable stops the start with a clear message.
 */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/huoju'),
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((value) =>
      value
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean),
    ),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /**
   * Isolates one deployment (or one test run) from others sharing the same broker, database and Redis:
   * prefixes topics, consumer groups and BullMQ keys, and suffixes database schemas.
   */
  /** Starts the service clock at this instant (demos and tests of deadlines); the real clock when unset. */
  HUOJU_CLOCK_START: z.string().datetime({ offset: true }).optional(),
  HUOJU_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9_]*$/, 'lower-case letters, digits and underscores only')
    .default(''),
  /** Copies of each topic partition the services create: 1 on one broker, 3 on a production cluster. */
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().positive().default(1),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service}: invalid configuration\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Validates the environment against a schema and returns typed, defaulted config, or throws listing every problem. */
export function loadConfig<S extends z.ZodType>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    service,
    result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
  );
}

/** Names derived from the namespace, so every service and test derives them the same way. */
export function namespaced(namespace: string) {
  return {
    topic: (topic: string) => (namespace ? `${namespace}.${topic}` : topic),
    group: (group: string) => (namespace ? `${namespace}.${group}` : group),
    schema: (schema: string) => (namespace ? `${schema}_${namespace}` : schema),
    queuePrefix: namespace ? `huoju:${namespace}` : 'huoju',
  };
}
