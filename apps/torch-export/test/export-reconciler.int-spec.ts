import { Queue } from 'bullmq';
import { formVersionFor } from '@huoju/domain';
import { namespaced } from '@huoju/platform';
import { ThrowawayRedis, eventually, principals } from '@huoju/testing';
import { EXPORT_QUEUE } from '../src/export/export.processor';
import { ExportReconciler } from '../src/export/export.reconciler';
import { ExportsService } from '../src/export/exports.service';
import { MikroORM } from '@mikro-orm/postgresql';
import { enterpriseChanged, uscc, verdict, type FixtureEnterprise } from './torch-export.fixtures';
import { startTestTorchExport, type ExportJobView, type RunningTorchExport } from './torch-export.harness';

const form = formVersionFor('torch-monthly', '2026-09')!;
const coreTeam = principals.park('CORE');
const enterprise: FixtureEnterprise = {
  uscc: uscc(73),
  nameZh: '上海张江重排测试有限公司',
  industryCode: 'C3973',
  parkCode: 'CORE',
  subParkCode: 'CORE-ZJ',
  streetCode: '310115125',
};
const body = { formId: form.formId, period: '2026-09', park: 'CORE', format: 'csv' };

describe(ExportReconciler.name, () => {
  // A Redis of this test's own: it is flushed and killed here, the shared one on 6379 never.
  let redis: ThrowawayRedis;
  let service: RunningTorchExport;
  let probe: Queue;

  beforeAll(async () => {
    redis = await ThrowawayRedis.onFreePort();
    await redis.start();
    service = await startTestTorchExport({ REDIS_URL: redis.url, EXPORT_RECONCILE_EVERY_MS: '500' });
    probe = new Queue(EXPORT_QUEUE, {
      connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null },
      prefix: namespaced(service.namespace).queuePrefix,
    });
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
      const [row] = await service.query<{ n: string }>('SELECT count(*)::text AS n FROM torch_export.accepted_filing');
      return row!.n === '1';
    });
  });

  afterAll(async () => {
    // Up again whatever a failed test left it in: closing the queues waits for Redis.
    await redis?.start();
    await probe?.close();
    await service?.stop();
    await redis?.stop();
  });

  it('queues again an export whose job a Redis flush took, and the export completes', async () => {
    // Paused, the queue keeps the job waiting: the flush is certain to take it before any worker does.
    await probe.pause();
    const created = await service.http.post<ExportJobView>('/v1/exports', { as: coreTeam, body });
    expect(created.status).toBe(202);
    expect(await probe.getJob(created.body.id)).toBeDefined();

    await redis.flush();
    expect(await probe.getJob(created.body.id)).toBeUndefined();

    const done = await service.waitFor(created.body.id, coreTeam);
    expect(done.state).toBe('completed');
    expect((await service.download(done.id, coreTeam)).status).toBe(200);
  });

  it('queues an export row that never got a job (its enqueue failed)', async () => {
    const exports = service.app.get(ExportsService);
    // The row alone, as when the enqueue after the insert failed.
    const row = await exports.insert(service.app.get(MikroORM).em.fork(), {
      formId: form.formId,
      formVersion: form.version,
      period: '2026-09',
      park: 'CORE',
      format: 'xlsx',
      requestedBy: 'test',
      trigger: 'request',
      cutoff: { kind: 'live' },
    });
    expect(await probe.getJob(row.id)).toBeUndefined();
    const done = await service.waitFor(row.id, coreTeam);
    expect(done.state).toBe('completed');
  });

  it('answers 202 while Redis is down, stores the row whole, and completes the export when Redis is back', async () => {
    await redis.stop();
    const created = await service.http.post<ExportJobView>('/v1/exports', { as: coreTeam, body });
    expect(created.status).toBe(202);
    const [row] = await service.query<{ state: string; verdict_sequence: string | null }>(
      'SELECT state, verdict_sequence::text FROM torch_export.export_job WHERE id = $1',
      [created.body.id],
    );
    expect(row).toEqual({ state: 'queued', verdict_sequence: expect.any(String) });

    // A fresh server: nothing of the old queue survives, the row is the only record of the export.
    await redis.start();
    const done = await service.waitFor(created.body.id, coreTeam);
    expect(done.state).toBe('completed');
  });
});
