import { formVersionFor } from '@huoju/domain';
import { ThrowawayRedis, eventually, principals } from '@huoju/testing';
import { enterpriseChanged, uscc, verdict } from './torch-export.fixtures';
import { startTestTorchExport, type RunningTorchExport } from './torch-export.harness';

interface Health {
  status: string;
  checks: Record<string, { status: string }>;
}

const coreTeam = principals.park('CORE');

/** Redis is a dependency of readiness, not of starting: torch-export comes up without it and gets ready later. */
describe('torch-export started while Redis is down', () => {
  // Never started before the service: nothing listens on its port until the test starts it.
  let redis: ThrowawayRedis;
  let service: RunningTorchExport | undefined;

  afterAll(async () => {
    await redis.start();
    await service?.stop();
    await redis.stop();
  }, 120_000);

  it('is live at once, unready until Redis is up, then ready and exporting', async () => {
    redis = await ThrowawayRedis.onFreePort();
    service = await startTestTorchExport({
      REDIS_URL: redis.url,
      EXPORT_RECONCILE_EVERY_MS: '500',
      LOG_LEVEL: 'silent',
    });
    expect((await service.http.get<Health>('/health/live')).status).toBe(200);
    const ready = await service.http.get<Health>('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.redis!.status).toBe('down');
    expect(ready.body.checks.database!.status).toBe('up');

    // Requests are taken meanwhile: the row is stored and waits for its job.
    const enterprise = {
      uscc: uscc(81),
      nameZh: '上海张江无缓存测试有限公司',
      industryCode: 'C3973',
      parkCode: 'CORE',
      subParkCode: 'CORE-ZJ',
      streetCode: '310115125',
    };
    await service.publish('registry.enterprise-changed.v1', enterprise.uscc, enterpriseChanged(enterprise));
    await service.publish(
      'filing.validated.v1',
      enterprise.uscc,
      verdict({
        uscc: enterprise.uscc,
        period: '2026-09',
        revision: 1,
        outcome: 'accepted',
        values: { qc05_0: '1500.25', qd01: '32' },
        validatedAt: '2026-10-05T02:00:00.000Z',
      }),
    );
    await eventually(async () => {
      const [row] = await service!.query<{ n: string }>('SELECT count(*)::text AS n FROM torch_export.accepted_filing');
      return row!.n === '1';
    });
    const form = formVersionFor('torch-monthly', '2026-09')!;
    const created = await service.http.post<{ id: string }>('/v1/exports', {
      as: coreTeam,
      body: { formId: form.formId, period: '2026-09', park: 'CORE', format: 'csv' },
    });
    expect(created.status).toBe(202);

    await redis.start();
    await eventually(
      async () => ((await service!.http.get<Health>('/health/ready')).status === 200 ? true : undefined),
      60_000,
      500,
    );
    const done = await service.waitFor(created.body.id, coreTeam);
    expect(done.state).toBe('completed');
  });
});
