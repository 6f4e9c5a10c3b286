import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { ExportJobRepository, type NewExportJob } from '../src/export/export-job.repository';
import { startTestTorchExport, type RunningTorchExport } from './torch-export.harness';

/** Export jobs through their entity, on torch-export's real schema: each state change and its guard. */
describe(ExportJobRepository.name, () => {
  let torchExport: RunningTorchExport;
  let orm: MikroORM;
  const sut = new ExportJobRepository();

  const newJob = (overrides: Partial<NewExportJob> = {}): NewExportJob => ({
    id: randomUUID(),
    formId: 'torch-monthly',
    formVersion: '2026.1',
    period: '2026-09',
    park: 'CORE',
    format: 'csv',
    requestedBy: 'test',
    trigger: 'request',
    triggerKey: null,
    triggerDetail: null,
    cutoffKind: 'validated-at',
    cutoffExportId: null,
    verdictSequence: '9007199254740993',
    rosterSequence: '9007199254740995',
    validatedAtLimit: '2026-10-10T01:02:03.456Z',
    createdAt: new Date('2026-10-12T00:00:00.000Z'),
    ...overrides,
  });

  beforeAll(async () => {
    torchExport = await startTestTorchExport();
    orm = torchExport.app.get(MikroORM);
  });

  afterAll(async () => {
    await torchExport.stop();
  });

  it('inserts a job once per trigger key and reads it back exactly (a bigint cut-off, ISO instants)', async () => {
    const triggerKey = `rolledup:${randomUUID()}`;
    const first = await sut.insert(orm.em.fork(), newJob({ trigger: 'rolledup', triggerKey, triggerDetail: { a: 1 } }));
    const second = await sut.insert(orm.em.fork(), newJob({ trigger: 'rolledup', triggerKey }));
    expect(first.created).toBe(true);
    expect(second).toEqual({ job: first.job, created: false });
    expect(first.job).toMatchObject({
      state: 'queued',
      verdictSequence: '9007199254740993',
      rosterSequence: '9007199254740995',
      validatedAtLimit: '2026-10-10T01:02:03.456Z',
      createdAt: '2026-10-12T00:00:00.000Z',
      triggerDetail: { a: 1 },
      attempts: 0,
      startedAt: null,
    });
    expect(await sut.unfinishedIds(orm.em.fork(), [triggerKey])).toEqual([first.job.id]);
  });

  it('runs, reports progress only while running, completes, and a late failure leaves it completed', async () => {
    const { job } = await sut.insert(orm.em.fork(), newJob());
    const at = new Date('2026-10-12T01:00:00.000Z');
    await sut.markRunning(orm.em.fork(), job.id, at);
    await sut.progress(orm.em.fork(), job.id, 5, 10, 50);
    expect(await sut.get(orm.em.fork(), job.id)).toMatchObject({ state: 'running', attempts: 1, percent: 50 });
    const manifest = { sha256: 'ab', rows: 10 };
    await sut.complete(orm.em.fork(), job.id, {
      fileName: 'f.csv',
      contentType: 'text/csv',
      byteSize: 1234,
      sha256: 'ab',
      manifest,
      rowsWritten: 10,
      now: new Date('2026-10-12T01:05:00.000Z'),
    });
    await sut.progress(orm.em.fork(), job.id, 1, 10, 10);
    await sut.fail(orm.em.fork(), job.id, 'late', true, new Date());
    expect(await sut.get(orm.em.fork(), job.id)).toMatchObject({
      state: 'completed',
      percent: 100,
      rowsWritten: 10,
      byteSize: 1234,
      manifest,
      error: null,
      finishedAt: '2026-10-12T01:05:00.000Z',
    });
    const listed = await sut.list(orm.em.fork(), { parks: ['CORE'], formId: 'torch-monthly' }, 100);
    expect(listed.map((j) => j.id)).toContain(job.id);

    const due = await sut.expiring(orm.em.fork(), new Date('2026-10-13T00:00:00Z'), 100);
    expect(due).toContainEqual({ id: job.id, format: 'csv' });
    await sut.markFileExpired(orm.em.fork(), job.id, new Date('2026-10-14T00:00:00.000Z'));
    await sut.markFileExpired(orm.em.fork(), job.id, new Date('2026-10-15T00:00:00.000Z'));
    expect((await sut.get(orm.em.fork(), job.id))!.fileExpiredAt).toBe('2026-10-14T00:00:00.000Z');
  });

  it('puts a failed attempt back in the queue, and fails it for good on the last', async () => {
    const { job } = await sut.insert(orm.em.fork(), newJob());
    await sut.markRunning(orm.em.fork(), job.id, new Date());
    await sut.fail(orm.em.fork(), job.id, 'x'.repeat(3000), false, new Date());
    const retried = (await sut.get(orm.em.fork(), job.id))!;
    expect(retried).toMatchObject({ state: 'queued', finishedAt: null });
    expect(retried.error).toHaveLength(2000);
    await sut.markRunning(orm.em.fork(), job.id, new Date());
    await sut.fail(orm.em.fork(), job.id, 'broken', true, new Date('2026-10-12T02:00:00.000Z'));
    expect(await sut.get(orm.em.fork(), job.id)).toMatchObject({
      state: 'failed',
      attempts: 2,
      error: 'broken',
      finishedAt: '2026-10-12T02:00:00.000Z',
    });
  });
});
