import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { defer, lastValueFrom } from 'rxjs';
import { CommitTracker, IdempotentByKey, TransientDatabaseRetryInterceptor } from './transient-retry';

class Routes {
  @IdempotentByKey()
  keyed(): void {}
  plain(): void {}
}

function httpContext(route: 'keyed' | 'plain', headers: Record<string, string> = {}): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => Routes.prototype[route],
    switchToHttp: () => ({ getRequest: () => ({ headers }) }),
  } as unknown as ExecutionContext;
}

const http = httpContext('plain');
const connectionLost = Object.assign(new Error('Client has encountered a connection error and is not queryable'), {});
const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });

/** A handler that fails with the given errors first, then answers; `commit` marks a COMMIT before failing. */
function handler(failures: Error[], options: { commitBeforeFailing?: boolean } = {}) {
  let calls = 0;
  const next: CallHandler = {
    handle: () =>
      defer(async () => {
        calls++;
        const failure = failures.shift();
        if (failure) {
          if (options.commitBeforeFailing) new CommitTracker().beforeTransactionCommit();
          throw failure;
        }
        return 'answer';
      }),
  };
  return { next, calls: () => calls };
}

describe(TransientDatabaseRetryInterceptor.name, () => {
  const interceptor = new TransientDatabaseRetryInterceptor(new Reflector());

  it('runs a request again after a lost connection or a deadlock, then answers', async () => {
    const { next, calls } = handler([connectionLost, deadlock]);
    await expect(lastValueFrom(interceptor.intercept(http, next))).resolves.toBe('answer');
    expect(calls()).toBe(3);
  });

  it('does not run it again once a transaction began to commit (its outcome is unknown)', async () => {
    const { next, calls } = handler([connectionLost], { commitBeforeFailing: true });
    await expect(lastValueFrom(interceptor.intercept(http, next))).rejects.toBe(connectionLost);
    expect(calls()).toBe(1);
  });

  it('runs a keyed request of an @IdempotentByKey route again after a fault at COMMIT (the key makes it exactly-once)', async () => {
    const { next, calls } = handler([connectionLost], { commitBeforeFailing: true });
    const keyed = httpContext('keyed', { 'idempotency-key': 'k-1' });
    await expect(lastValueFrom(interceptor.intercept(keyed, next))).resolves.toBe('answer');
    expect(calls()).toBe(2);
  });

  it('does not for such a route without a key', async () => {
    const { next, calls } = handler([connectionLost], { commitBeforeFailing: true });
    await expect(lastValueFrom(interceptor.intercept(httpContext('keyed'), next))).rejects.toBe(connectionLost);
    expect(calls()).toBe(1);
  });

  it('never retries an error that is not transient', async () => {
    const bug = new TypeError('x is undefined');
    const { next, calls } = handler([bug]);
    await expect(lastValueFrom(interceptor.intercept(http, next))).rejects.toBe(bug);
    expect(calls()).toBe(1);
  });
});
