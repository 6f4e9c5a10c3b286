import { randomUUID } from 'node:crypto';
import {
  Module,
  type DynamicModule,
  type INestApplication,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { serviceDocument, type HttpServiceName } from '@huoju/contracts/http';
import type { Logger } from 'pino';
import { withCorrelation } from '../logging/correlation';
import { PinoNestLogger } from '../logging/logger';
import { instrumentHttp } from '../metrics/http-metrics';
import { Metrics } from '../metrics/metrics';
import { MetricsModule } from '../metrics/metrics.module';
import { traceHttp } from '../tracing/http-tracing';
import { startTracing, stopTracing } from '../tracing/tracing';
import { problemClientErrorHandler } from './client-error';
import { useJsonBodyOnly } from './json-body';
import { ProblemFilter } from './problem.filter';

export interface HttpAppOptions {
  readonly service: string;
  readonly title: string;
  readonly description: string;
  readonly logger: Logger;
  /** The service whose HTTP contract (@huoju/contracts/http) makes the OpenAPI document at /docs-json. */
  readonly contract?: HttpServiceName;
  /** Largest request body accepted, in bytes; bigger ones get 413 problem+json. */
  readonly bodyLimit?: number;
  /** Which proxies' X-Forwarded-For to believe for the client address (TRUST_PROXY); none by default. */
  readonly trustProxy?: boolean | string[];
}

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * A Nest application on Fastify with the platform's conventions: a correlation id per request (taken from
 * the caller or created), problem+json for every error including Fastify's own, OpenAPI at /docs,
 * Prometheus metrics at /metrics (the service's Metrics is injectable in every module), and OpenTelemetry
 * traces when configured (OTEL_TRACES_EXPORTER=otlp).
 */
export async function createHttpApp(
  module: Type<unknown> | DynamicModule,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) =>
      headerValue(request.headers[CORRELATION_HEADER]) ?? randomUUID(),
    logger: false,
    clientErrorHandler: problemClientErrorHandler,
  });
  startTracing(options.service);
  const metrics = new Metrics(options.service);
  // Added to the service's own root module rather than wrapping it, so its module tree (and with it the
  // order of lifecycle hooks) stays what the service declares.
  const everyService = [MetricsModule.forRoot(metrics), TracingLifecycle];
  const root: DynamicModule =
    'module' in module
      ? { ...module, imports: [...(module.imports ?? []), ...everyService] }
      : { module, imports: everyService };
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    logger: new PinoNestLogger(options.logger),
    bufferLogs: false,
    abortOnError: false,
    // Nest's own parsers accept form-urlencoded bodies and any charset; useJsonBodyOnly replaces them.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  traceHttp(fastify);
  useJsonBodyOnly(fastify, options.bodyLimit ?? 1024 * 1024);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(CORRELATION_HEADER, request.id);
    withCorrelation(request.id, done);
  });
  instrumentHttp(fastify, metrics);
  app.useGlobalFilters(new ProblemFilter(options.logger));
  app.enableShutdownHooks();
  setupOpenApi(app, options);
  return app;
}

/** Flushes buffered spans when the service stops. */
@Module({})
class TracingLifecycle implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTracing();
  }
}

function setupOpenApi(app: INestApplication, options: HttpAppOptions): void {
  if (options.contract) {
    // The document comes from the route table, the same schemas the controllers validate with.
    const document = serviceDocument(options.contract) as unknown as OpenAPIObject;
    SwaggerModule.setup('docs', app, document);
    return;
  }
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config));
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text && /^[\w.:-]{1,100}$/.test(text) ? text : undefined;
}
