import { namespaced } from '@huoju/platform';
import { ThrowawayRedis, eventually, principals, sqlQuery } from '@huoju/testing';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

interface Health {
  status: string;
  checks: Record<string, { status: string }>;
}

/** Redis is a dependency of readiness, not of starting: aggregation comes up without it and gets ready later. */
describe('aggregation started while Redis is down', () => {
  // Never started before the service: nothing listens on its port until the test starts it.
  let redis: ThrowawayRedis;
  let service: RunningAggregation | undefined;

  afterAll(async () => {
    await redis.start();
    await service?.stop();
    await redis.stop();
  }, 120_000);

  it('is live at once, unready until Redis is up, then ready and rolling up', async () => {
    redis = await ThrowawayRedis.onFreePort();
    service = await startTestAggregation({
      REDIS_URL: redis.url,
      ROLLUP_RECONCILE_EVERY_MS: '500',
      LOG_LEVEL: 'silent',
    });
    expect((await service.http.get<Health>('/health/live')).status).toBe(200);
    const ready = await service.http.get<Health>('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.redis!.status).toBe('down');
    expect(ready.body.checks.database!.status).toBe('up');

    await redis.start();
    await eventually(
      async () => ((await service!.http.get<Health>('/health/ready')).status === 200 ? true : undefined),
      60_000,
      500,
    );
    // The queues work: an on-demand roll-up runs.
    const response = await service.http.post<{ jobs: { id: string }[] }>('/v1/rollups', {
      as: principals.commission,
      body: { park: 'all', formId: 'torch-monthly', period: '2026-09' },
    });
    expect(response.status).toBe(202);
    const schema = namespaced(service.namespace).schema('aggregation');
    const ids = response.body.jobs.map((job) => job.id);
    await eventually(async () => {
      const rows = await sqlQuery<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}".rollup_run WHERE id = ANY($1) AND state = 'completed'`,
        [ids],
      );
      return Number(rows[0]!.n) === ids.length;
    }, 60_000);
  });
});
