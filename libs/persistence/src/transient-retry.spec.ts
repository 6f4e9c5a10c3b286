import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { defer, lastValueFrom } from 'rxjs';
import { CommitTracker, TransientDatabaseRetryInterceptor } from './transient-retry';

const http = { getType: () => 'http' } as ExecutionContext;
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
  const interceptor = new TransientDatabaseRetryInterceptor();

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

  it('never retries an error that is not transient', async () => {
    const bug = new TypeError('x is undefined');
    const { next, calls } = handler([bug]);
    await expect(lastValueFrom(interceptor.intercept(http, next))).rejects.toBe(bug);
    expect(calls()).toBe(1);
  });
});
