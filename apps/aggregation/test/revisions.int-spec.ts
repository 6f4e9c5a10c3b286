import { randomUUID } from 'node:crypto';
import type { FilingValidated } from '@huoju/contracts';
import {
  enterpriseChanged,
  eventually,
  filingValidated,
  generateRoster,
  inScopeOn,
  principals,
  publishEvents,
  readEvents,
  sqlQuery,
  testKafka,
} from '@huoju/testing';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

const kafka = testKafka('aggregation-revisions');
const [first, second] = generateRoster({ size: 400, seed: 31 }).filter(
  (e) => e.parkCode === 'HK' && inScopeOn(e, 'torch-monthly', '2026-01-01'),
);

function accepted(uscc: string, values: Record<string, string>, filingId: string, revision: number): FilingValidated {
  return filingValidated(uscc, '2026-05', values, { filingId, revision, receivedAt: '2026-06-10T02:00:00.000Z' });
}

describe('a late amendment to a closed month', () => {
  let aggregation: RunningAggregation;

  beforeAll(async () => {
    aggregation = await startTestAggregation();
    await publishEvents(
      kafka,
      aggregation.namespace,
      'registry.enterprise-changed.v1',
      [first!, second!].map((e) => ({ key: e.uscc, payload: enterpriseChanged(e) })),
    );
  });

  afterAll(() => aggregation.stop());

  async function runs(): Promise<{ id: string; final: boolean; revised_figures: number }[]> {
    return sqlQuery(
      `SELECT id, final, revised_figures FROM aggregation_${aggregation.namespace}.rollup_run WHERE period = '2026-05' AND state = 'completed' ORDER BY started_at`,
    );
  }

  /** Waits until no roll-up of the period is pending (the count stays put for two seconds). */
  async function settledRunCount(): Promise<number> {
    let last = -1;
    return eventually(
      async () => {
        const now = (await runs()).length;
        const stable = now === last;
        last = now;
        return stable ? now : undefined;
      },
      30_000,
      2000,
    );
  }

  it('re-rolls the period once and publishes one aggregate.revised.v1 per changed figure, naming the revision', async () => {
    // May 2026 closed on 18 June (due 15 June + 3 days' grace); the clock stands at 20 October.
    const filingId = randomUUID();
    await publishEvents(kafka, aggregation.namespace, 'filing.validated.v1', [
      { key: first!.uscc, payload: accepted(first!.uscc, { qc05_0: '1000', qd01: '10' }, filingId, 1) },
      { key: second!.uscc, payload: accepted(second!.uscc, { qc05_0: '500', qd01: '5' }, randomUUID(), 1) },
    ]);
    await eventually(async () => (await runs()).some((run) => run.final));
    const before = await settledRunCount();

    // The late amendment: revenue changes, headcount does not.
    await publishEvents(kafka, aggregation.namespace, 'filing.validated.v1', [
      { key: first!.uscc, payload: accepted(first!.uscc, { qc05_0: '1200.5', qd01: '10' }, filingId, 2) },
    ]);
    await eventually(async () => (await runs()).length === before + 1);
    const revisedRun = (await runs())[before]!;

    const revised = await readEvents(
      kafka,
      aggregation.namespace,
      'aggregate.revised.v1',
      (events) => events.filter((e) => e.payload.rollupId === revisedRun.id).length >= revisedRun.revised_figures,
    );
    const mine = revised.filter((e) => e.payload.rollupId === revisedRun.id).map((e) => e.payload);
    expect(mine.length).toBe(revisedRun.revised_figures);
    // Only qc05_0 changed; in every dimension the enterprise counts under, once for ytd and once for month.
    expect(new Set(mine.map((r) => r.indicator))).toEqual(new Set(['qc05_0']));
    const keys = mine.map((r) => `${r.dimension}|${r.member}|${r.measure}`);
    expect(new Set(keys).size).toBe(keys.length);
    const park = mine.find((r) => r.dimension === 'park' && r.measure === 'ytd')!;
    expect(park).toMatchObject({
      member: 'HK',
      oldValue: '1500',
      newValue: '1700.5',
      causedBy: [{ uscc: first!.uscc, filingId, revision: 2 }],
    });
    expect(mine.every((r) => r.causedBy.length === 1 && r.causedBy[0]!.revision === 2)).toBe(true);

    // And nothing more: no second re-roll for the same amendment.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await runs()).length).toBe(before + 1);
    const served = await aggregation.http.get<{ rows: { member: string; value: string }[] }>(
      '/v1/aggregates?formId=torch-monthly&period=2026-05&indicator=qc05_0&groupBy=park',
      {
        as: principals.commission,
      },
    );
    expect(served.body.rows.find((row) => row.member === 'HK')?.value).toBe('1700.5');
  });
});
