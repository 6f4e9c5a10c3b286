import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger, loadConfig } from '@huoju/platform';
import {
  TEST_CLOCK_START,
  TEST_TOKEN_SECRET,
  cleanUpNamespace,
  httpClient,
  serviceEnvironment,
  testNamespace,
} from '@huoju/testing';
import { aggregationConfigSchema } from '../src/aggregation.config';
import { startAggregation } from '../src/bootstrap';

export interface RunningAggregation {
  readonly app: NestFastifyApplication;
  readonly namespace: string;
  readonly http: ReturnType<typeof httpClient>;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function startTestAggregation(
  env: Record<string, string> = {},
  namespace = testNamespace('aggregation'),
): Promise<RunningAggregation> {
  const config = loadConfig(
    'aggregation',
    aggregationConfigSchema,
    serviceEnvironment(namespace, {
      PORT: '0',
      AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET,
      HUOJU_CLOCK_START: TEST_CLOCK_START,
      ROLLUP_DEBOUNCE_MS: '200',
      ...env,
    }),
  );
  const app = await startAggregation(config, createLogger('aggregation', config.LOG_LEVEL));
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    namespace,
    http: httpClient(`http://127.0.0.1:${port}`),
    async stop(options = {}) {
      await app.close();
      if (!options.keepData) await cleanUpNamespace(namespace, [config.AGGREGATION_SCHEMA]);
    },
  };
}
