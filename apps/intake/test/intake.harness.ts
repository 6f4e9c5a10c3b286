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
import { startIntake } from '../src/bootstrap';
import { intakeConfigSchema } from '../src/intake.config';

export interface RunningIntake {
  readonly app: NestFastifyApplication;
  readonly namespace: string;
  readonly url: string;
  readonly http: ReturnType<typeof httpClient>;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** Starts intake in-process on a free port against the real services, isolated in its own namespace. */
export async function startTestIntake(
  env: Record<string, string> = {},
  namespace = testNamespace('intake'),
): Promise<RunningIntake> {
  const config = loadConfig(
    'intake',
    intakeConfigSchema,
    serviceEnvironment(namespace, {
      PORT: '0',
      AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET,
      RATE_LIMIT_PER_MINUTE: '1000000',
      HUOJU_CLOCK_START: TEST_CLOCK_START,
      ...env,
    }),
  );
  const app = await startIntake(config, createLogger('intake', config.LOG_LEVEL));
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    namespace,
    url,
    http: httpClient(url),
    async stop(options = {}) {
      await app.close();
      if (!options.keepData) await cleanUpNamespace(namespace, ['intake']);
    },
  };
}
