import type { KafkaMessage } from 'kafkajs';
import type { EventEnvelope } from '@huoju/contracts';
import {
  SpanKind,
  SpanStatusCode,
  contextFrom,
  traceApi,
  traceCarrier,
  tracer,
  type TraceCarrier,
  type TraceContext,
} from '@huoju/platform';

/**
 * How a filing stays one trace across services: the relay puts the trace context of each outbox row into
 * the Kafka headers (`traceparent`); the consumer opens a span per message as the producer's child; an
 * event the handler writes with that message as its cause continues that span. A batch handler has no
 * single active span, hence the lookup by causation id.
 */
const handling = new Map<string, TraceContext>();

/** The key under which an outbox row keeps its trace context; the relay removes it before publishing. */
export const OUTBOX_TRACE_KEY = '$trace';

/** The trace context an outbox row should carry: its cause's span while that is handled, else the active one. */
export function outboxTraceCarrier(causationId: string | undefined): TraceCarrier | undefined {
  const cause = causationId === undefined ? undefined : handling.get(causationId);
  return cause ? traceCarrier(cause) : traceCarrier();
}

export interface ConsumeSpans {
  /** The context of the i-th message's span, to run its handler in. */
  context(index: number): TraceContext;
  end(error?: unknown): void;
}

/** One consumer span per message, each the child of the span that published it. */
export function consumeSpans(
  topic: string,
  partition: number,
  messages: readonly KafkaMessage[],
  envelopes: readonly EventEnvelope[],
): ConsumeSpans {
  const opened = messages.map((message, index) => {
    const parent = contextFrom(message.headers);
    const span = tracer().startSpan(
      `process ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': topic,
          'messaging.destination.partition.id': String(partition),
          'messaging.message.id': envelopes[index]!.id,
        },
      },
      parent,
    );
    const context = traceApi.setSpan(parent, span);
    handling.set(envelopes[index]!.id, context);
    return { span, context, id: envelopes[index]!.id };
  });
  return {
    context: (index) => opened[index]!.context,
    end: (error) => {
      for (const { span, id } of opened) {
        if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        span.end();
        handling.delete(id);
      }
    },
  };
}

/** A producer span per published row, the child of the context the row was written in; its headers. */
export function publishSpan(topic: string, carrier: TraceCarrier | undefined) {
  const parent = contextFrom(carrier);
  const span = tracer().startSpan(
    `publish ${topic}`,
    { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic } },
    parent,
  );
  return { span, headers: traceCarrier(traceApi.setSpan(parent, span)) ?? {} };
}
