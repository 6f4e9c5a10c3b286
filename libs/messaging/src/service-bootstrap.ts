import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { Metrics, createHttpApp, type HttpAppOptions } from '@huoju/platform';
import {
  ConsumerHealthCheck,
  createTransport,
  KAFKA,
  MESSAGING_OPTIONS,
  type MessagingOptions,
} from './messaging.module';

const CRASH_EXIT_DELAY_MS = 5_000;

/**
 * Starts a service the way every Huoju service runs: HTTP on Fastify (health, docs, its API) and its
 * Kafka consumer as a Nest microservice in the same process. Used by each app's main.ts and by the tests.
 */
export async function startHttpService(
  module: DynamicModule,
  options: HttpAppOptions & { port: number; host: string },
): Promise<NestFastifyApplication> {
  const app = await createHttpApp(module, options);
  connectKafkaConsumer(app, options.logger);
  await app.startAllMicroservices();
  await app.listen(options.port, options.host);
  return app;
}

/** Connects the service's Kafka consumer (the batch transport) and lets readiness see its state. */
export function connectKafkaConsumer(app: NestFastifyApplication, logger: Logger): void {
  // A consumer kafkajs will not restart leaves the service unready; exiting lets the orchestrator (or
  // npm start's supervisor) start a fresh process, after readiness had a moment to report it.
  const onCrash = () => setTimeout(() => process.exit(1), CRASH_EXIT_DELAY_MS);
  const transport = createTransport(
    app.get<Kafka>(KAFKA),
    logger,
    app.get<MessagingOptions>(MESSAGING_OPTIONS),
    app.get(Metrics),
    onCrash,
  );
  app.get(ConsumerHealthCheck).attach(transport);
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: false });
}
