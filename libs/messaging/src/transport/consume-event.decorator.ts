import { applyDecorators, Catch, UseFilters, type RpcExceptionFilter } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import type { Topic } from '@huoju/contracts';

/** The transport id handlers bind to, so they never run under another transport. */
export const KAFKA_BATCH_TRANSPORT = Symbol('KAFKA_BATCH_TRANSPORT');

export interface ConsumeEventOptions {
  /**
   * Receive the parsed envelopes of a fetched batch as one array (one transaction for many events).
   * If the batch fails, its events are retried one by one so that a poison message is isolated.
   */
  readonly batch?: boolean;
}

/**
 * Hands a handler's error to the transport unchanged. Nest's default RPC filter would replace it with
 * "Internal server error", and the dead-letter reason must say what really failed.
 */
@Catch()
export class RethrowToTransportFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/** Marks a handler for a topic: it receives the checked EventEnvelope (or an array of them with `batch`). */
export function ConsumeEvent(topic: Topic, options: ConsumeEventOptions = {}): MethodDecorator {
  return applyDecorators(
    EventPattern<string>(topic, KAFKA_BATCH_TRANSPORT, { batch: options.batch ?? false }),
    UseFilters(RethrowToTransportFilter),
  );
}
