import { isNonProductionKid } from '../auth/keys';

/** Values that were ever defaults in this repository or its demo; production refuses them wherever they appear. */
const DEMO_VALUES = [
  'Huoju-Demo-2026',
  'admin.demo-admin-secret-change-me',
  'huoju-demo-token-secret-change-me-0123456789',
];

interface Inspectable {
  readonly DATABASE_URL?: unknown;
  readonly REDIS_URL?: unknown;
  readonly KAFKA_SSL?: unknown;
  readonly KAFKA_SASL_MECHANISM?: unknown;
  readonly KAFKA_SASL_USERNAME?: unknown;
  readonly KAFKA_SASL_PASSWORD?: unknown;
  readonly AUTH_SIGNING_KEY?: { kid: string };
  readonly AUTH_JWKS?: { keys: readonly { kid: string }[] };
  readonly [name: string]: unknown;
}

/**
 * What NODE_ENV=production refuses: a demo secret, password or generated dev/test key, and any
 * connection without TLS — Kafka without SSL and SASL, Redis not over rediss:// with an ACL user,
 * PostgreSQL without sslmode=require/verify-ca/verify-full. Checked once at start with the rest of the config.
 */
export function productionProblems(config: Inspectable): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(config))
    if (typeof value === 'string' && (DEMO_VALUES.includes(value) || /change-me/i.test(value)))
      problems.push(`${name}: a demo value is refused in production`);

  if (config.AUTH_SIGNING_KEY && isNonProductionKid(config.AUTH_SIGNING_KEY.kid))
    problems.push('AUTH_SIGNING_KEY: a generated development or test key is refused in production');
  for (const key of config.AUTH_JWKS?.keys ?? [])
    if (isNonProductionKid(key.kid)) problems.push(`AUTH_JWKS: the development or test key ${key.kid} is refused`);

  if (typeof config.DATABASE_URL === 'string') {
    const sslmode = safeUrl(config.DATABASE_URL)?.searchParams.get('sslmode');
    if (!sslmode || !['require', 'verify-ca', 'verify-full'].includes(sslmode))
      problems.push('DATABASE_URL: production needs ?sslmode=require, verify-ca or verify-full');
  }
  if (typeof config.REDIS_URL === 'string') {
    const url = safeUrl(config.REDIS_URL);
    if (url?.protocol !== 'rediss:') problems.push('REDIS_URL: production needs TLS (rediss://)');
    if (!url?.username || !url.password) problems.push('REDIS_URL: production needs an ACL user and password');
  }
  if ('KAFKA_SSL' in config) {
    if (config.KAFKA_SSL !== true) problems.push('KAFKA_SSL: production needs TLS to Kafka (KAFKA_SSL=true)');
    if (!config.KAFKA_SASL_MECHANISM || !config.KAFKA_SASL_USERNAME || !config.KAFKA_SASL_PASSWORD)
      problems.push('KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD: production needs SASL');
  }
  return problems;
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
