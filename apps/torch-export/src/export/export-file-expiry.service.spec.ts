import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { TorchExportConfig } from '../torch-export.config';
import { ExportFileExpiry } from './export-file-expiry.service';
import type { ExportJobRepository } from './export-job.repository';
import type { ExportFileStore } from './file-store/export-file-store';

const NOW = new Date('2026-12-01T12:00:00.000Z');

function setup(jobs: { id: string; format: 'xlsx' | 'csv'; finishedAt: Date }[]) {
  const steps: string[] = [];
  const expired = new Set<string>();
  const repository = {
    expiring: jest.fn(async (_em: unknown, before: Date, limit: number) =>
      jobs.filter((job) => job.finishedAt < before && !expired.has(job.id)).slice(0, limit),
    ),
    markFileExpired: jest.fn(async (_em: unknown, id: string) => {
      steps.push(`mark ${id}`);
      expired.add(id);
    }),
  };
  const store = { delete: jest.fn(async (keys: string[]) => void steps.push(`delete ${keys.join(' ')}`)) };
  const sut = new ExportFileExpiry(
    { em: { fork: () => ({}) } } as unknown as MikroORM,
    repository as unknown as ExportJobRepository,
    store as unknown as ExportFileStore,
    { EXPORT_FILE_MAX_AGE_HOURS: 24 } as TorchExportConfig,
    { now: () => NOW },
    { info: jest.fn() } as unknown as Logger,
  );
  return { sut, steps, repository };
}

describe('ExportFileExpiry', () => {
  it('deletes the file and manifest of exports older than the limit before marking them, and keeps newer ones', async () => {
    const { sut, steps, repository } = setup([
      { id: 'old', format: 'xlsx', finishedAt: new Date('2026-11-29T00:00:00.000Z') },
      { id: 'new', format: 'csv', finishedAt: new Date('2026-12-01T00:00:00.000Z') },
    ]);
    expect(await sut.expire()).toBe(1);
    expect(steps).toEqual(['delete old.xlsx old.manifest.json', 'mark old']);
    expect(repository.expiring.mock.calls[0]![1]).toEqual(new Date('2026-11-30T12:00:00.000Z'));
  });

  it('works through more expired exports than one batch', async () => {
    const many = Array.from({ length: 450 }, (_, i) => ({
      id: `job-${i}`,
      format: 'csv' as const,
      finishedAt: new Date('2026-11-01T00:00:00.000Z'),
    }));
    const { sut, repository } = setup(many);
    expect(await sut.expire()).toBe(450);
    expect(repository.markFileExpired).toHaveBeenCalledTimes(450);
  });
});
