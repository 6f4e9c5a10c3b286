import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { jwksEnv } from '../auth/keys';
import { DEFAULT_ISSUER } from '../auth/token';
import { productionProblems } from './production';

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
  /** redis:// or rediss:// (TLS); a user and password in the URL are used (Redis ACL). */
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** TLS to the brokers; KAFKA_SSL_CA_FILE adds a private CA. */
  KAFKA_SSL: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /**
   * Whose X-Forwarded-For to believe for the client address (rate limits, lockout, audit): "false"
   * (default: the socket's peer), "true" (any), or a comma-separated list of proxy addresses/CIDRs.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value): boolean | string[] =>
      value === 'false' ? false : value === 'true' ? true : value.split(',').map((part) => part.trim()),
    ),
  /** Requests a minute per principal (token subject, else address), shared by a service's instances. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** Requests a minute per client address, all its callers together. */
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().positive().default(3000),
  /** The `iss` intake signs and every service requires. */
  AUTH_ISSUER: z.string().min(1).default(DEFAULT_ISSUER),
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
  /** A directory of form version and rule set files (JSON) added to the built-in catalog at start. */
  FORM_CATALOG_EXTRA_DIR: z.string().min(1).optional(),
  /** Copies of each topic partition the services create: 1 on one broker, 3 on a production cluster. */
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().positive().default(1),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

/**
 * AUTH_JWKS for the services that verify tokens but do not issue them: the public keys, configured (not
 * fetched from intake, so a service starts without intake and nobody can point it at another key server).
 */
export const verifierConfigSchema = z.object({ AUTH_JWKS: jwksEnv });

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
  if (result.success) {
    const config = result.data as Record<string, unknown>;
    const problems = config.NODE_ENV === 'production' ? productionProblems(config) : [];
    if (problems.length > 0) throw new ConfigError(service, problems);
    return result.data;
  }
  throw new ConfigError(
    service,
    result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
  );
}

export interface KafkaSecurity {
  readonly ssl?: true | { ca: string[] };
  readonly sasl?:
    | { mechanism: 'plain'; username: string; password: string }
    | { mechanism: 'scram-sha-256'; username: string; password: string }
    | { mechanism: 'scram-sha-512'; username: string; password: string };
}

/** kafkajs `ssl` and `sasl` options from the configuration. */
export function kafkaSecurity(config: BaseConfig): KafkaSecurity {
  const ssl = config.KAFKA_SSL
    ? config.KAFKA_SSL_CA_FILE
      ? { ca: [readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8')] }
      : (true as const)
    : undefined;
  const sasl =
    config.KAFKA_SASL_MECHANISM && config.KAFKA_SASL_USERNAME && config.KAFKA_SASL_PASSWORD
      ? ({
          mechanism: config.KAFKA_SASL_MECHANISM,
          username: config.KAFKA_SASL_USERNAME,
          password: config.KAFKA_SASL_PASSWORD,
        } as KafkaSecurity['sasl'])
      : undefined;
  return { ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}) };
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
