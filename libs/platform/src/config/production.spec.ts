import { z } from 'zod';
import { generateSigningKey, publicJwkOf, signingKeyEnv, jwksEnv } from '../auth';
import { ConfigError, baseConfigSchema, loadConfig } from './config';

describe('production mode', () => {
  const schema = baseConfigSchema.extend({
    AUTH_SIGNING_KEY: signingKeyEnv,
    AUTH_JWKS: jwksEnv,
    ADMIN_API_KEY: z.string().optional(),
  });
  const productionKey = { ...generateSigningKey('prod'), kid: 'huoju-2026-12' };
  const safe = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgresql://huoju:pw@db.internal:5432/huoju?sslmode=verify-full',
    REDIS_URL: 'rediss://huoju:pw@redis.internal:6380',
    KAFKA_SSL: 'true',
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: 'huoju',
    KAFKA_SASL_PASSWORD: 'pw',
    AUTH_SIGNING_KEY: JSON.stringify(productionKey),
    AUTH_JWKS: JSON.stringify({ keys: [publicJwkOf(productionKey)] }),
  };

  function problems(env: Record<string, string>): string[] {
    try {
      loadConfig('intake', schema, env);
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return [...error.problems];
    }
  }

  it('starts with TLS everywhere and production keys', () => {
    expect(problems(safe)).toEqual([]);
  });

  it('refuses plaintext Kafka, Redis and PostgreSQL, listing each', () => {
    const found = problems({
      ...safe,
      DATABASE_URL: 'postgresql://huoju@db.internal:5432/huoju',
      REDIS_URL: 'redis://redis.internal:6379',
      KAFKA_SSL: 'false',
    }).join('\n');
    expect(found).toContain('DATABASE_URL');
    expect(found).toContain('REDIS_URL: production needs TLS');
    expect(found).toContain('REDIS_URL: production needs an ACL user');
    expect(found).toContain('KAFKA_SSL');
  });

  it('refuses generated development or test keys and demo secrets', () => {
    const dev = generateSigningKey('dev');
    const found = problems({
      ...safe,
      AUTH_SIGNING_KEY: JSON.stringify(dev),
      AUTH_JWKS: JSON.stringify({ keys: [publicJwkOf(dev)] }),
      ADMIN_API_KEY: 'admin.demo-admin-secret-change-me',
    }).join('\n');
    expect(found).toContain('AUTH_SIGNING_KEY');
    expect(found).toContain('AUTH_JWKS');
    expect(found).toContain('ADMIN_API_KEY');
  });

  it('lets development run with the local defaults', () => {
    const dev = generateSigningKey('dev');
    expect(
      problems({ AUTH_SIGNING_KEY: JSON.stringify(dev), AUTH_JWKS: JSON.stringify({ keys: [publicJwkOf(dev)] }) }),
    ).toEqual([]);
  });
});
