import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { EventSubscriber } from '@mikro-orm/core';
import { Observable, retry, timer } from 'rxjs';
import { classifyFailure } from '@huoju/platform';

/** Per HTTP request: whether any of its transactions began to commit (then a retry could apply it twice). */
const requestCommits = new AsyncLocalStorage<{ commitsStarted: number }>();

/** Counts, for the request it runs in, the transactions that reached COMMIT. */
export class CommitTracker implements EventSubscriber {
  beforeTransactionCommit(): void {
    const request = requestCommits.getStore();
    if (request) request.commitsStarted++;
  }
}

const IDEMPOTENT_BY_KEY = 'huoju:idempotent-by-key';

/**
 * Marks a route that stores its Idempotency-Key with its effect in one transaction: run again with the same
 * key after a fault at COMMIT, it either replays what did commit or stores it now, so it may be retried.
 */
export const IdempotentByKey = () => SetMetadata(IDEMPOTENT_BY_KEY, true);

/** Waits of about 12 s in all: enough for PostgreSQL to restart or fail over, short of a client's timeout. */
const RETRY_DELAYS_MS = [50, 100, 200, 400, 800, 1_600, 2_000, 2_000, 2_500, 2_500];

/**
 * Runs an HTTP request again when it failed on a transient database fault (a connection lost in a restart,
 * a deadlock, a serialization failure) before any of its transactions began to commit — so nothing of it
 * was stored and running it again is safe. A fault at or after COMMIT is not retried (its outcome is
 * unknown; the problem filter answers it 503 with Retry-After, never 500) — unless the route is
 * @IdempotentByKey and the request carries an Idempotency-Key, which makes running it again exactly-once.
 */
@Injectable()
export class TransientDatabaseRetryInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = { commitsStarted: 0 };
    const keyed =
      this.reflector.get<boolean>(IDEMPOTENT_BY_KEY, context.getHandler()) === true &&
      Boolean(context.switchToHttp().getRequest<{ headers?: Record<string, unknown> }>().headers?.['idempotency-key']);
    return new Observable((subscriber) =>
      requestCommits.run(request, () =>
        next
          .handle()
          .pipe(
            retry({
              count: RETRY_DELAYS_MS.length,
              delay: (error: unknown, attempt: number) => {
                if (classifyFailure(error) !== 'transient' || (request.commitsStarted > 0 && !keyed)) throw error;
                return timer(RETRY_DELAYS_MS[attempt - 1]!);
              },
            }),
          )
          .subscribe(subscriber),
      ),
    );
  }
}
