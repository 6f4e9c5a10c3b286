import { createEnvelope, type AggregateRolledUp } from '@huoju/contracts';
import { eventually, principals } from '@huoju/testing';
import { enterpriseChanged, uscc, verdict, type FixtureEnterprise } from './torch-export.fixtures';
import { startTestTorchExport, type ExportJobView, type RunningTorchExport } from './torch-export.harness';

const commission = principals.commission;
const A: FixtureEnterprise = {
  uscc: uscc(11),
  nameZh: '上海张江自动导出测试有限公司',
  industryCode: 'I6513',
  parkCode: 'CORE',
  subParkCode: 'CORE-ZJ',
  streetCode: '310115125',
};
const D: FixtureEnterprise = {
  uscc: uscc(12),
  nameZh: '上海普陀自动导出测试有限公司',
  industryCode: 'I6513',
  parkCode: 'PT',
  subParkCode: 'PT-ZHONGHUAN',
  streetCode: '310107020',
};

function rolledUp(
  rollupId: string,
  parkCode: string,
  lastVerdictAt: string | null,
  completedAt = '2026-10-16T01:00:00.000Z',
): AggregateRolledUp {
  return {
    rollupId,
    parkCode,
    formId: 'torch-monthly',
    period: '2026-09',
    trigger: 'period-closed',
    cutoff: { filings: 1, lastVerdictAt, factsHash: 'f'.repeat(64) },
    figures: 12,
    revisedFigures: 0,
    completedAt,
  };
}

describe('torch-export automatic exports', () => {
  let service: RunningTorchExport;

  beforeAll(async () => {
    service = await startTestTorchExport({ AUTO_EXPORT_PARKS: 'PT', AUTO_EXPORT_FORMATS: 'xlsx' });
    for (const enterprise of [A, D])
      await service.publish('registry.enterprise-changed.v1', enterprise.uscc, enterpriseChanged(enterprise));
    await service.publish(
      'filing.validated.v1',
      A.uscc,
      verdict({
        uscc: A.uscc,
        period: '2026-09',
        revision: 1,
        outcome: 'accepted',
        values: { qc05_0: '10', qd01: '2' },
        validatedAt: '2026-10-08T01:00:00.000Z',
      }),
    );
    await service.publish(
      'filing.validated.v1',
      D.uscc,
      verdict({
        uscc: D.uscc,
        period: '2026-09',
        revision: 1,
        outcome: 'accepted',
        values: { qc05_0: '20', qd01: '3' },
        validatedAt: '2026-10-08T02:00:00.000Z',
      }),
    );
    // A verdict after the roll-up's cut-off: the automatic export must leave it out.
    await service.publish(
      'filing.validated.v1',
      A.uscc,
      verdict({
        uscc: A.uscc,
        period: '2026-09',
        revision: 2,
        outcome: 'accepted',
        values: { qc05_0: '11', qd01: '2' },
        validatedAt: '2026-10-20T01:00:00.000Z',
      }),
    );
    await eventually(
      async () =>
        (await service.query<{ n: string }>('SELECT count(*) AS n FROM torch_export.filing_verdict'))[0]!.n === '3',
    );
  });

  afterAll(() => service.stop());

  it('is configured by AUTO_EXPORT_PARKS and, per park, by the commission', async () => {
    const initial = await service.http.get<{ parks: { park: string; enabled: boolean; source: string }[] }>(
      '/v1/exports/auto',
      { as: commission },
    );
    expect(initial.body.parks.filter((p) => p.enabled)).toEqual([
      expect.objectContaining({ park: 'PT', enabled: true, formats: ['xlsx'], source: 'environment' }),
    ]);

    expect(
      (await service.http.put('/v1/exports/auto/CORE', { as: principals.park('CORE'), body: { enabled: true } }))
        .status,
    ).toBe(403);
    const bad = await service.http.put<{ errors: { pointer: string }[] }>('/v1/exports/auto/CORE', {
      as: commission,
      body: { enabled: 'yes', formats: ['pdf'] },
    });
    expect(bad.body.errors.map((e) => e.pointer)).toEqual(['/enabled', '/formats/0']);
    const updated = await service.http.put('/v1/exports/auto/CORE', {
      as: principals.admin,
      body: { enabled: true, formats: ['sdmx-csv', 'csv'] },
    });
    expect(updated).toMatchObject({
      status: 200,
      body: { park: 'CORE', enabled: true, formats: ['csv', 'sdmx-csv'], source: 'api', updatedBy: 'test-admin' },
    });
  });

  it('exports a rolled-up park once per roll-up and format, at the roll-up cut-off, however often the event comes', async () => {
    const core = createEnvelope(
      'aggregate.rolledup.v1',
      'CORE',
      rolledUp('rollup-core-1', 'CORE', '2026-10-15T00:00:00.000Z'),
    );
    await service.publishEnvelope('aggregate.rolledup.v1', core);
    await service.publishEnvelope('aggregate.rolledup.v1', core);
    await service.publish('aggregate.rolledup.v1', 'PT', rolledUp('rollup-pt-1', 'PT', '2026-10-15T00:00:00.000Z'));
    // A republished roll-up (new event id, same roll-up), a roll-up replayed from long ago, and a park that is not configured.
    await service.publish(
      'aggregate.rolledup.v1',
      'CORE',
      rolledUp('rollup-core-1', 'CORE', '2026-10-15T00:00:00.000Z'),
    );
    await service.publish(
      'aggregate.rolledup.v1',
      'PT',
      rolledUp('rollup-pt-old', 'PT', '2026-06-01T00:00:00.000Z', '2026-06-16T01:00:00.000Z'),
    );
    const sentinel = await service.publish('aggregate.rolledup.v1', 'CN', rolledUp('rollup-cn-1', 'CN', null));
    await eventually(
      async () =>
        (await service.query('SELECT 1 FROM torch_export.inbox WHERE event_id = $1', [sentinel.id])).length === 1,
    );

    const jobs = await eventually(async () => {
      const listed = await service.http.get<{ exports: (ExportJobView & { trigger: string })[] }>(
        '/v1/exports?period=2026-09',
        { as: commission },
      );
      const auto = listed.body.exports.filter((e) => e.trigger === 'rolledup');
      return auto.length === 3 && auto.every((e) => e.state === 'completed') ? auto : undefined;
    });
    expect(jobs.map((job) => `${job.park} ${job.format}`).sort()).toEqual(['CORE csv', 'CORE sdmx-csv', 'PT xlsx']);
    for (const job of jobs)
      expect(job.cutoff).toMatchObject({ kind: 'validated-at', validatedAtLimit: '2026-10-15T00:00:00.000Z' });

    const csv = jobs.find((job) => job.format === 'csv')!;
    const text = (await service.download(csv.id, commission)).bytes.toString('utf8');
    expect(text.split('\r\n')[1]).toContain(`${A.uscc},`);
    expect(text.split('\r\n')[1]!.split(',')[9]).toBe('10');
    const manifest = await service.http.get<{
      trigger: Record<string, unknown>;
      cutoff: { newestValidatedAt: string };
    }>(`/v1/exports/${csv.id}/manifest`, { as: commission });
    expect(manifest.body.trigger).toMatchObject({
      kind: 'rolledup',
      requestedBy: 'auto-export',
      rollupId: 'rollup-core-1',
    });
    expect(manifest.body.cutoff.newestValidatedAt).toBe('2026-10-08T01:00:00.000Z');
  });
});
