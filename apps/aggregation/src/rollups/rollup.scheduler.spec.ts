import type { MikroORM } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import type { Clock } from '@huoju/platform';
import type { AggregationConfig } from '../aggregation.config';
import type { RollupPacer } from './rollup-pacer';
import type { PendingRollupRow, RollupPendingRepository } from './rollup-pending.repository';
import { finalKey, type RollupScheduleQuery } from './rollup-schedule.query';
import { RollupScheduler } from './rollup.scheduler';

type Public<T> = { [K in keyof T]: T[K] };

const orm = { em: { fork: () => ({}) } } as unknown as MikroORM;

function setUp(state: { factPeriods: string[]; finals: string[]; parks: string[]; pending?: PendingRollupRow[] }) {
  const added: { name: string; data: unknown; opts: { deduplication?: { id: string } } }[] = [];
  const queue = {
    add: async (name: string, data: unknown, opts: (typeof added)[number]['opts']) => {
      added.push({ name, data, opts });
      return { id: String(added.length) };
    },
    getJobScheduler: async () => ({}),
  } as unknown as Queue;
  const schedule: Public<RollupScheduleQuery> = {
    rosterKeys: async () => [],
    factPeriods: async () => state.factPeriods.map((period) => ({ formId: 'torch-monthly', period })),
    finalParkPeriods: async () => new Set(state.finals),
    parksWithMembersOn: async () => state.parks,
  };
  const recorded: unknown[] = [];
  const pending: Public<RollupPendingRepository> = {
    record: async (_em, keys) => {
      recorded.push(...keys);
      return [];
    },
    olderThan: async () => state.pending ?? [],
    age: async () => undefined,
  };
  const clock: Clock = { now: () => new Date('2026-10-01T02:00:00Z') };
  const config = { ROLLUP_DEBOUNCE_MS: 500, ROLLUP_CLOSE_CRON: '30 0 * * *' } as AggregationConfig;
  const pacer = { delayFor: () => 1500 } as unknown as RollupPacer;
  const sut = new RollupScheduler(queue, orm, config, clock, pacer, pending as never, schedule as never);
  return { sut, added, recorded };
}

describe(RollupScheduler.name, () => {
  it('closes every period whose grace ended and that some park has not finalised, once for all parks', async () => {
    // On 1 October: August's grace ended (18 September); September is still open.
    const { sut, added } = setUp({
      factPeriods: ['2026-07', '2026-08', '2026-09'],
      finals: [finalKey('torch-monthly', '2026-07', 'PT'), finalKey('torch-monthly', '2026-07', 'CN')],
      parks: ['PT', 'CN'],
    });
    expect(await sut.closePeriods()).toBe(1);
    expect(added).toEqual([
      expect.objectContaining({
        data: { parkCode: 'all', formId: 'torch-monthly', period: '2026-08', trigger: 'period-closed' },
        opts: expect.objectContaining({ deduplication: expect.objectContaining({ id: 'torch-monthly:2026-08:all' }) }),
      }),
    ]);
  });

  it('records pending roll-ups with the period end and marks a closed period as a late revision', async () => {
    const { sut, recorded } = setUp({ factPeriods: [], finals: [], parks: [] });
    await sut.recordPending({} as never, [
      { uscc: '91310000MA1K000001', formId: 'torch-monthly', period: '2026-08' },
      { uscc: '91310000MA1K000001', formId: 'torch-monthly', period: '2026-09' },
    ]);
    expect(recorded).toEqual([
      expect.objectContaining({ period: '2026-08', periodEnd: '2026-08-31', trigger: 'late-revision' }),
      expect.objectContaining({ period: '2026-09', periodEnd: '2026-09-30', trigger: 'filing-accepted' }),
    ]);
  });

  it('queues again what PostgreSQL still holds as pending', async () => {
    const { sut, added } = setUp({
      factPeriods: [],
      finals: [],
      parks: [],
      pending: [{ parkCode: 'PT', formId: 'torch-monthly', period: '2026-09', trigger: 'filing-accepted' }],
    });
    expect(await sut.reconcile(60_000)).toBe(1);
    expect(added.map((job) => job.opts.deduplication?.id)).toEqual(['torch-monthly:2026-09:PT']);
  });
});
