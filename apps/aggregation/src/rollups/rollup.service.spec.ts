import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Outbox } from '@huoju/messaging';
import type { FigureDefect, RollupRepository } from './rollup.repository';
import { RollupService } from './rollup.service';

/**
 * Which path a reconciliation takes: a provisional one that finds nothing to repair stays in its
 * REPEATABLE READ snapshot (no figure locks); a defect, a park not yet maintained or a closing period
 * goes through the locked READ COMMITTED path that repairs.
 */
const PROVISIONAL = new Date('2026-11-05T00:00:00.000Z'); // October is due on 15 November
const CLOSED = new Date('2026-12-01T00:00:00.000Z');

function setup(options: { now: Date; maintained?: string[]; defects?: FigureDefect[]; completenessDefects?: number }) {
  const isolationLevels: (IsolationLevel | undefined)[] = [];
  const executed: string[] = [];
  const em = {
    execute: jest.fn(async (sql: string) => {
      executed.push(sql);
      return [];
    }),
  } as unknown as EntityManager;
  const orm = {
    em: {
      fork: () => ({
        ...em,
        transactional: async <T>(
          work: (tx: EntityManager) => Promise<T>,
          opts?: { isolationLevel?: IsolationLevel },
        ) => {
          isolationLevels.push(opts?.isolationLevel);
          return work(em);
        },
      }),
    },
  } as unknown as MikroORM;
  const seen = [{ park_code: 'HK', requested_at: '2026-11-04 10:00:00.123456+00' }];
  const repository = {
    startRun: jest.fn(),
    failRun: jest.fn(),
    completeRun: jest.fn(),
    beginReconciliation: jest.fn(),
    stageMembers: jest.fn(),
    stageRows: jest.fn(),
    stageFigures: jest.fn(),
    maintainedParks: jest.fn(async () => JSON.stringify(options.maintained ?? ['HK'])),
    figureDefects: jest.fn(async () => options.defects ?? []),
    wasFinal: jest.fn(async () => false),
    changedFigures: jest.fn(async () => []),
    inputs: jest.fn(async () => []),
    repairFigures: jest.fn(),
    stageCompleteness: jest.fn(),
    completenessDefects: jest.fn(async () => options.completenessDefects ?? 0),
    replaceCompleteness: jest.fn(),
    repairInputs: jest.fn(async () => ({ count: 0, sample: [] })),
    replaceInputs: jest.fn(),
    finishPending: jest.fn(),
    pendingSeen: jest.fn(async () => seen),
    finishPendingSeen: jest.fn(),
    cutoffs: jest.fn(async () => [
      { park_code: 'HK', filings: '2', last_validated_at: null, facts_hash: 'h', figures: '10' },
    ]),
  };
  const outbox = { addAll: jest.fn() } as unknown as Outbox;
  const logger = { info: jest.fn(), error: jest.fn() } as unknown as Logger;
  const sut = new RollupService(
    orm,
    repository as unknown as RollupRepository,
    outbox,
    { now: () => options.now },
    logger,
  );
  return { sut, repository, isolationLevels, executed, seen };
}

const defect: FigureDefect = {
  park_code: 'HK',
  dimension: 'park',
  member: 'HK',
  indicator: 'qc05_0',
  live: '1501',
  recomputed: '1500',
};

describe('RollupService reconciliation paths', () => {
  it('reconciles a clean provisional period from one snapshot, without the figures’ locks', async () => {
    const { sut, repository, isolationLevels, executed, seen } = setup({ now: PROVISIONAL });
    const result = await sut.rollUp('HK', 'torch-monthly', '2026-10', 'filing-accepted', 'run-1');
    expect(isolationLevels).toEqual([IsolationLevel.REPEATABLE_READ]);
    expect(executed.some((sql) => sql.includes('|figure|'))).toBe(false);
    expect(repository.repairFigures).not.toHaveBeenCalled();
    expect(repository.replaceCompleteness).not.toHaveBeenCalled();
    expect(repository.finishPending).not.toHaveBeenCalled();
    expect(repository.finishPendingSeen).toHaveBeenCalledWith(expect.anything(), expect.anything(), seen);
    expect(repository.replaceInputs).toHaveBeenCalledTimes(1);
    expect(repository.completeRun).toHaveBeenCalledWith(
      expect.anything(),
      'run-1',
      expect.objectContaining({ defects: 0 }),
    );
    expect(result).toMatchObject({ rollupId: 'run-1', figures: 10, filings: 2, final: false });
  });

  it('repairs under the locks when the snapshot finds a defect, and counts it', async () => {
    const { sut, repository, isolationLevels, executed } = setup({ now: PROVISIONAL, defects: [defect] });
    await sut.rollUp('HK', 'torch-monthly', '2026-10', 'filing-accepted', 'run-2');
    expect(isolationLevels).toEqual([IsolationLevel.REPEATABLE_READ, IsolationLevel.READ_COMMITTED]);
    expect(executed.some((sql) => sql.includes('|figure|'))).toBe(true);
    expect(repository.repairFigures).toHaveBeenCalledTimes(1);
    expect(repository.finishPending).toHaveBeenCalledTimes(1);
    expect(repository.finishPendingSeen).not.toHaveBeenCalled();
    // Published once, by the locked path only.
    expect(repository.replaceInputs).toHaveBeenCalledTimes(1);
    expect(repository.completeRun).toHaveBeenCalledWith(
      expect.anything(),
      'run-2',
      expect.objectContaining({ defects: 1 }),
    );
  });

  it('repairs under the locks when completeness differs', async () => {
    const { sut, repository, isolationLevels } = setup({ now: PROVISIONAL, completenessDefects: 2 });
    await sut.rollUp('HK', 'torch-monthly', '2026-10', 'filing-accepted', 'run-3');
    expect(isolationLevels).toEqual([IsolationLevel.REPEATABLE_READ, IsolationLevel.READ_COMMITTED]);
    expect(repository.replaceCompleteness).toHaveBeenCalledTimes(1);
  });

  it('starts maintaining a park under the locks', async () => {
    const { sut, repository, isolationLevels } = setup({ now: PROVISIONAL, maintained: [] });
    await sut.rollUp('HK', 'torch-monthly', '2026-10', 'filing-accepted', 'run-4');
    expect(isolationLevels).toEqual([IsolationLevel.REPEATABLE_READ, IsolationLevel.READ_COMMITTED]);
    expect(repository.repairInputs).toHaveBeenCalledWith(expect.anything(), expect.anything(), '[]', '["HK"]');
    // Known before recomputing: the park is recomputed once, under the locks.
    expect(repository.stageMembers).toHaveBeenCalledTimes(1);
  });

  it('closes a period under the locks only, marking its figures final', async () => {
    const { sut, repository, isolationLevels } = setup({ now: CLOSED });
    const result = await sut.rollUp('HK', 'torch-monthly', '2026-10', 'period-closed', 'run-5');
    expect(isolationLevels).toEqual([IsolationLevel.READ_COMMITTED]);
    expect(repository.repairFigures).toHaveBeenCalledWith(
      expect.anything(),
      expect.anything(),
      expect.objectContaining({ final: true }),
    );
    expect(result.final).toBe(true);
  });
});
