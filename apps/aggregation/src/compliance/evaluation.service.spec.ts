import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '@huoju/platform';
import type { ComplianceStatus } from './compliance-status';
import { loadComplianceConfig } from './compliance.config';
import { deadlinesOf } from './deadline-calendar';
import type { EvaluationRepository, EvaluationRow } from './evaluation.repository';
import { EvaluationService } from './evaluation.service';
import type { CountRow, ExpectationsRepository } from './expectations.repository';

type Public<T> = { [K in keyof T]: T[K] };

const orm = {
  em: { fork: () => ({ transactional: <T>(work: (em: EntityManager) => Promise<T>) => work({} as EntityManager) }) },
} as unknown as MikroORM;

function counts(filedOnTime: number, notFiled: number): Record<ComplianceStatus, number> {
  return {
    overdue: 0,
    'not-filed': notFiled,
    'needs-explanation': 0,
    rejected: 0,
    'filed-late': 0,
    'filed-on-time': filedOnTime,
  };
}

/** Evaluation rows in memory, keyed by form|period, behind EvaluationRepository's methods. */
class InMemoryEvaluations {
  readonly runs = new Map<string, { threshold: string; evaluated_at: Date }>();
  readonly units = new Map<string, EvaluationRow[]>();
  readonly collected = new Set<string>();
  readonly outdated = new Set<string>();

  readonly repository: Public<EvaluationRepository> = {
    recordingState: async (_tx, { formId, period }) => ({
      collected: this.collected.has(`${formId}|${period}`),
      evaluatedAt: this.runs.get(`${formId}|${period}`)?.evaluated_at ?? null,
      outdated: this.outdated.has(`${formId}|${period}`),
    }),
    reclaimRun: async (_tx, { formId, period }, threshold, at, recordedAt) => {
      const run = this.runs.get(`${formId}|${period}`);
      if (run?.evaluated_at.getTime() !== recordedAt.getTime()) return false;
      this.runs.set(`${formId}|${period}`, { threshold, evaluated_at: at });
      this.units.delete(`${formId}|${period}`);
      this.outdated.delete(`${formId}|${period}`);
      return true;
    },
    claimRun: async (_tx, { formId, period }, threshold, at) => {
      if (this.runs.has(`${formId}|${period}`)) return false;
      this.runs.set(`${formId}|${period}`, { threshold, evaluated_at: at });
      return true;
    },
    run: async (_em, { formId, period }) => this.runs.get(`${formId}|${period}`),
    streaks: async (_tx, { formId, period }) =>
      new Map(
        (this.units.get(`${formId}|${period}`) ?? [])
          .filter((u) => u.below)
          .map((u) => [`${u.unit_kind}|${u.unit_code}`, u.consecutive_below]),
      ),
    insertUnits: async (_tx, { formId, period }, units) => {
      this.units.set(`${formId}|${period}`, [...units]);
    },
    units: async (_em, { formId, period }) => this.units.get(`${formId}|${period}`) ?? [],
  };
}

function setUp(rows: { park: CountRow[]; carrier: CountRow[] }) {
  const store = new InMemoryEvaluations();
  const expectations = {
    counts: async (_em: EntityManager, _periods: unknown, _filter: unknown, _now: Date, by: 'park' | 'carrier') =>
      rows[by],
  } as unknown as ExpectationsRepository;
  const clock: Clock = { now: () => new Date('2026-11-01T02:00:00Z') };
  const sut = new EvaluationService(orm, expectations, clock, loadComplianceConfig({}), store.repository as never);
  return { store, sut };
}

describe('EvaluationService (in-memory repositories)', () => {
  const september = deadlinesOf('torch-monthly', '2026-09', 9)!;
  const august = deadlinesOf('torch-monthly', '2026-08', 9)!;

  it('records a closed period once, noticing a park below 90 % for the second month in a row', async () => {
    const { store, sut } = setUp({
      // PT: 8 of 10 (80 %) filed by the grace end; CN: 9 of 10 (90 %, not below).
      park: [
        { key: 'PT', parkCode: 'PT', counts: counts(8, 2), filedByGraceEnd: 8 },
        { key: 'CN', parkCode: 'CN', counts: counts(9, 1), filedByGraceEnd: 9 },
      ],
      carrier: [],
    });
    store.collected.add('torch-monthly|2026-09');
    store.units.set('torch-monthly|2026-08', [
      {
        unit_kind: 'park',
        unit_code: 'PT',
        park_code: 'PT',
        expected: 10,
        filed: 7,
        filed_on_time: 7,
        filing_rate: '70',
        on_time_rate: '70',
        below: true,
        consecutive_below: 1,
        notice: 'first-notice',
      },
    ]);
    expect(await sut.evaluate(september)).toBe(true);
    expect(await sut.evaluate(september)).toBe(false);

    const evaluation = await sut.read(september);
    expect(evaluation).toMatchObject({ recorded: true, threshold: '90', evaluatedAt: '2026-11-01T02:00:00.000Z' });
    expect(evaluation.parks.map((u) => [u.code, u.filingRate, u.below, u.consecutivePeriodsBelow, u.notice])).toEqual([
      ['PT', '80', true, 2, 'second-notice'],
      ['CN', '90', false, 0, null],
    ]);
  });

  it('skips a period nobody filed for, and serves live rates without notices until a period is recorded', async () => {
    const { store, sut } = setUp({
      park: [{ key: 'PT', parkCode: 'PT', counts: counts(5, 5), filedByGraceEnd: 5 }],
      carrier: [],
    });
    expect(await sut.evaluate(august)).toBe(false);
    expect(store.runs.size).toBe(0);
    const live = await sut.read(august);
    expect(live).toMatchObject({ recorded: false, evaluatedAt: null });
    expect(live.parks).toEqual([expect.objectContaining({ code: 'PT', filingRate: '50', below: true, notice: null })]);
  });

  it('records a period again when a filing received in time was applied after the recording', async () => {
    const rows = { park: [{ key: 'PT', parkCode: 'PT', counts: counts(8, 2), filedByGraceEnd: 8 }], carrier: [] };
    const { store, sut } = setUp(rows);
    store.collected.add('torch-monthly|2026-09');
    expect(await sut.evaluate(september)).toBe(true);
    rows.park[0] = { key: 'PT', parkCode: 'PT', counts: counts(10, 0), filedByGraceEnd: 10 };
    expect(await sut.evaluate(september)).toBe(false);
    store.outdated.add('torch-monthly|2026-09');
    expect(await sut.evaluate(september)).toBe(true);
    expect((await sut.read(september)).parks.map((u) => [u.code, u.filingRate, u.below])).toEqual([
      ['PT', '100', false],
    ]);
  });
});
