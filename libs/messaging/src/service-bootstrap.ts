import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Kafka } from 'kafkajs';
import { Metrics, createHttpApp, type HttpAppOptions } from '@huoju/platform';
import { createTransport, KAFKA, MESSAGING_OPTIONS, type MessagingOptions } from './messaging.module';

/**
 * Starts a service the way every Huoju service runs: HTTP on Fastify (health, docs, its API) and its
 * Kafka consumer as a Nest microservice in the same process. Used by each app's main.ts and by the tests.
 */
export async function startHttpService(
  module: DynamicModule,
  options: HttpAppOptions & { port: number; host: string },
): Promise<NestFastifyApplication> {
  const app = await createHttpApp(module, options);
  const messaging = app.get<MessagingOptions>(MESSAGING_OPTIONS);
  app.connectMicroservice(
    { strategy: createTransport(app.get<Kafka>(KAFKA), options.logger, messaging, app.get(Metrics)) },
    { inheritAppConfig: false },
  );
  await app.startAllMicroservices();
  await app.listen(options.port, options.host);
  return app;
}
