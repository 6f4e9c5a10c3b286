import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { z } from 'zod';

/** The standard OpenTelemetry variables this platform reads; traces are off unless OTEL_TRACES_EXPORTER=otlp. */
export const tracingConfigSchema = z.object({
  OTEL_TRACES_EXPORTER: z.enum(['none', 'otlp']).default('none'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().or(z.literal('')).default(''),
  OTEL_SERVICE_NAME: z.string().optional(),
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().positive().default(5000),
});

/** Trace context as string headers (W3C `traceparent`, `tracestate`), for HTTP and Kafka alike. */
export type TraceCarrier = Record<string, string>;

let provider: TracerProvider | undefined;

/**
 * Starts the process's tracer provider once (the first service of a process names it). Without
 * OTEL_TRACES_EXPORTER=otlp nothing is registered and the API calls below cost next to nothing.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): void {
  if (provider) return;
  const config = tracingConfigSchema.parse(env);
  if (config.OTEL_TRACES_EXPORTER !== 'otlp') return;
  const endpoint = (config.OTEL_EXPORTER_OTLP_ENDPOINT || 'http://127.0.0.1:4318').replace(/\/$/, '');
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.OTEL_SERVICE_NAME ?? service }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }),
        scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
      }),
    ],
  });
  trace.setGlobalTracerProvider(provider);
}

/** Flushes what is buffered and stops; called when the service shuts down. */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  provider = undefined;
  await stopping?.shutdown();
}

export function tracer() {
  return trace.getTracer('huoju');
}

/** The trace context to hand on (the active one unless given); undefined when nothing is being traced. */
export function traceCarrier(from: Context = context.active()): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(from, carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

const headerGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    const first = Array.isArray(value) ? (value[0] as unknown) : value;
    if (first === undefined || first === null) return undefined;
    return Buffer.isBuffer(first) ? first.toString('utf8') : String(first as string);
  },
};

/** The context carried by HTTP or Kafka headers (string or Buffer values); the root context when none. */
export function contextFrom(headers: Record<string, unknown> | undefined): Context {
  return headers ? propagation.extract(ROOT_CONTEXT, headers, headerGetter) : ROOT_CONTEXT;
}

export interface SpanOptions {
  readonly kind: SpanKind;
  readonly parent?: Context;
  readonly attributes?: Attributes;
}

/** Runs work in a new span (the parent's child, or the active span's), ending it with the outcome. */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: options.kind, attributes: options.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

export { SpanKind, SpanStatusCode, context as traceContext, trace as traceApi, type Context as TraceContext };
