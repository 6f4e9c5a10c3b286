import { MikroORM } from '@mikro-orm/postgresql';
import { RollupPendingRepository } from '../src/rollups/rollup-pending.repository';
import { RollupScheduleQuery, finalKey } from '../src/rollups/rollup-schedule.query';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

/** The SQL that decides which park-periods need a roll-up, on aggregation's real schema. */
describe(RollupScheduleQuery.name, () => {
  let aggregation: RunningAggregation;
  let orm: MikroORM;
  const sut = new RollupScheduleQuery();
  const pending = new RollupPendingRepository();
  const A = '91310000MA1KSCHED01';
  const B = '91310000MA1KSCHED02';
  const filing = '00000000-0000-4000-8000-0000000000a1';

  beforeAll(async () => {
    aggregation = await startTestAggregation();
    orm = aggregation.app.get(MikroORM);
    const em = orm.em.fork();
    await em.execute(
      `INSERT INTO roster_membership (uscc, park_code, sub_park_code, valid_from, valid_to) VALUES
         (?, 'PT', 'PT-1', '2026-01-01', '2026-06-30'), (?, 'CN', 'CN-1', '2026-07-01', NULL), (?, 'HK', 'HK-1', '2026-01-01', NULL)`,
      [A, A, B],
    );
    await em.execute(
      `INSERT INTO fact (uscc, form_id, period, indicator, value, filing_id, revision, verdict) VALUES
         (?, 'torch-monthly', '2026-06', 'qc05_0', 1, ?, 1, 1), (?, 'torch-monthly', '2026-07', 'qc05_0', 2, ?, 1, 1)`,
      [A, filing, A, filing],
    );
    await em.execute(
      `INSERT INTO filing_state (uscc, form_id, period, filing_id, latest_revision, latest_outcome, first_received_at)
       VALUES (?, 'torch-monthly', '2026-07', ?, 1, 'accepted', now())`,
      [A, filing],
    );
    await em.execute(
      `INSERT INTO figure (park_code, form_id, period, dimension, member, indicator, ytd, enterprises, month_enterprises, rollup_id, final)
       VALUES ('PT', 'torch-monthly', '2026-06', 'park', 'PT', 'qc05_0', 1, 1, 1, 'r-1', true),
              ('CN', 'torch-monthly', '2026-07', 'park', 'CN', 'qc05_0', 2, 1, 1, 'r-2', false)`,
    );
  });

  afterAll(async () => {
    await aggregation.stop();
  });

  it('finds the periods with facts, the parks with final figures and the parks with members on a day', async () => {
    const em = orm.em.fork();
    expect(await sut.factPeriods(em)).toEqual(
      expect.arrayContaining([
        { formId: 'torch-monthly', period: '2026-06' },
        { formId: 'torch-monthly', period: '2026-07' },
      ]),
    );
    expect(await sut.finalParkPeriods(em)).toEqual(new Set([finalKey('torch-monthly', '2026-06', 'PT')]));
    expect((await sut.parksWithMembersOn(em, '2026-06-30')).sort()).toEqual(['HK', 'PT']);
    expect((await sut.parksWithMembersOn(em, '2026-07-31')).sort()).toEqual(['CN', 'HK']);
    expect(await sut.rosterKeys(em, [A])).toEqual([{ uscc: A, formId: 'torch-monthly', period: '2026-07' }]);
  });

  it('records a pending roll-up for the park the enterprise belonged to at the period end, once per park-period', async () => {
    const em = orm.em.fork();
    const key = { uscc: A, formId: 'torch-monthly', period: '2026-07', periodEnd: '2026-07-31' };
    const first = await em.transactional((tx) => pending.record(tx, [{ ...key, trigger: 'filing-accepted' }]));
    expect(first).toEqual([{ parkCode: 'CN', formId: 'torch-monthly', period: '2026-07', trigger: 'filing-accepted' }]);
    // A period without a filing of the enterprise asks for nothing.
    expect(
      await pending.record(em, [{ ...key, period: '2026-05', periodEnd: '2026-05-31', trigger: 'late-revision' }]),
    ).toEqual([]);
    await pending.record(em, [{ ...key, trigger: 'late-revision' }]);
    expect(await pending.olderThan(em, 0)).toEqual([
      { parkCode: 'CN', formId: 'torch-monthly', period: '2026-07', trigger: 'late-revision' },
    ]);
    expect(await pending.olderThan(em, 3_600_000)).toEqual([]);
  });
});
