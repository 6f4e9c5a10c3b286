import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { createLogger, loadConfig } from '@huoju/platform';
import { TEST_CLOCK_START, TEST_AUTH_ENV, httpClient } from './http-client';
import { cleanUpNamespace, serviceEnvironment, testNamespace } from './test-environment';

export interface ServiceUnderTest {
  readonly app: NestFastifyApplication;
  readonly namespace: string;
  readonly url: string;
  readonly http: ReturnType<typeof httpClient>;
  /** Closes the service; drops its schemas, topics and queue keys unless `keepData` (to restart on them). */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * Starts one service in-process on a free port against the real Kafka, PostgreSQL and Redis, isolated in
 * its own namespace, with the test token secret and the test clock (overridable through `env`).
 */
export async function startServiceUnderTest<S extends z.ZodType<{ LOG_LEVEL: string }>>(options: {
  readonly service: string;
  readonly configSchema: S;
  readonly start: (config: z.infer<S>, logger: Logger) => Promise<NestFastifyApplication>;
  /** The schema base names the service owns, for clean-up. */
  readonly schemas: readonly string[];
  readonly env?: Record<string, string>;
  readonly namespace?: string;
}): Promise<ServiceUnderTest> {
  const namespace = options.namespace ?? testNamespace(options.service.replace(/-/g, ''));
  const environment = serviceEnvironment(namespace, {
    PORT: '0',
    ...TEST_AUTH_ENV,
    HUOJU_CLOCK_START: TEST_CLOCK_START,
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
    EXPORT_QUOTA: '1000000/hour',
    ROLLUP_QUOTA: '1000000/hour',
    ...options.env,
  });
  const config = loadConfig(options.service, options.configSchema, environment);
  const app = await options.start(config, createLogger(options.service, config.LOG_LEVEL));
  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    namespace,
    url,
    http: httpClient(url),
    async stop(stopOptions = {}) {
      await app.close();
      if (!stopOptions.keepData) await cleanUpNamespace(namespace, options.schemas);
    },
  };
}
