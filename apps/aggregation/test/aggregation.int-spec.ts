import { randomUUID } from 'node:crypto';
import type { FilingValidated } from '@huoju/contracts';
import {
  enterpriseChanged,
  eventually,
  generateRoster,
  inScopeOn,
  principals,
  publishEvents,
  readEvents,
  testKafka,
} from '@huoju/testing';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

const kafka = testKafka('aggregation-test');
const enterprises = generateRoster({ size: 400, seed: 21 })
  .filter(
    (e) =>
      e.parkCode === 'PT' && inScopeOn(e, 'torch-monthly', '2026-01-01') && inScopeOn(e, 'torch-monthly', '2026-12-31'),
  )
  .slice(0, 4);

function validated(
  uscc: string,
  period: string,
  values: Record<string, string>,
  options: Partial<FilingValidated> = {},
): FilingValidated {
  return {
    filingId: options.filingId ?? randomUUID(),
    revision: options.revision ?? 1,
    attempt: 1,
    verdict: options.verdict ?? 1,
    reason: 'submitted',
    uscc,
    formId: 'torch-monthly',
    formVersion: '2026.1',
    ruleSetVersion: '2026.1',
    period,
    outcome: options.outcome ?? 'accepted',
    findings: [],
    values,
    contentSha256: 'c'.repeat(64),
    receivedAt: options.receivedAt ?? '2026-09-10T02:00:00.000Z',
    validatedAt: options.validatedAt ?? '2026-09-10T02:00:01.000Z',
  };
}

describe('aggregation', () => {
  let aggregation: RunningAggregation;
  const commission = principals.commission;

  beforeAll(async () => {
    expect(enterprises).toHaveLength(4);
    aggregation = await startTestAggregation();
    await publishEvents(
      kafka,
      aggregation.namespace,
      'registry.enterprise-changed.v1',
      enterprises.map((e) => ({ key: e.uscc, payload: enterpriseChanged(e) })),
    );
  });

  afterAll(() => aggregation.stop());

  async function ytd(period: string, indicator = 'qc05_0', groupBy = 'park') {
    const response = await aggregation.http.get<{
      rows: { member: string; value: string | null; indicator: string }[];
    }>(`/v1/aggregates?formId=torch-monthly&period=${period}&indicator=${indicator}&groupBy=${groupBy}&measure=ytd`, {
      as: commission,
    });
    return response.body.rows?.find((row) => row.member === (groupBy === 'zone' ? 'ZJ' : 'PT'))?.value ?? null;
  }

  it('sums year-to-date exactly, derives the month, and replaces an amended revision instead of adding it', async () => {
    const [a, b] = enterprises;
    const julyA = validated(a!.uscc, '2026-07', { qc05_0: '100.10', qd01: '10' });
    const augustA = validated(a!.uscc, '2026-08', { qc05_0: '250.25', qd01: '12' });
    const augustB = validated(b!.uscc, '2026-08', { qc05_0: '0.2', qd01: '3' });
    await publishEvents(
      kafka,
      aggregation.namespace,
      'filing.validated.v1',
      [julyA, augustA, augustB].map((payload) => ({ key: payload.uscc, payload })),
    );
    await eventually(async () => (await ytd('2026-08')) === '250.45');

    const month = await aggregation.http.get<{ rows: { member: string; value: string | null; enterprises: number }[] }>(
      '/v1/aggregates?formId=torch-monthly&period=2026-08&indicator=qc05_0&groupBy=park&measure=month',
      { as: commission },
    );
    // B filed no July, so its August month value cannot be derived: only A's 150.15 counts.
    expect(month.body.rows[0]).toMatchObject({ member: 'PT', value: '150.15', enterprises: 1 });

    const amended = validated(
      a!.uscc,
      '2026-08',
      { qc05_0: '300', qd01: '12' },
      { filingId: augustA.filingId, revision: 2 },
    );
    await publishEvents(kafka, aggregation.namespace, 'filing.validated.v1', [
      { key: a!.uscc, payload: amended },
      { key: a!.uscc, payload: augustA },
    ]);
    await eventually(async () => (await ytd('2026-08')) === '300.2');
    expect(await ytd('2026-08', 'qc05_0', 'zone')).toBe('300.2');

    const provenance = await aggregation.http.get<{
      total: string;
      filings: { uscc: string; revision: number; value: string }[];
    }>('/v1/aggregates/provenance?formId=torch-monthly&period=2026-08&groupBy=park&member=PT&indicator=qc05_0', {
      as: commission,
    });
    expect(provenance.body.total).toBe('300.2');
    expect(provenance.body.filings.map((f) => [f.uscc, f.revision, f.value]).sort()).toEqual(
      [
        [a!.uscc, 2, '300'],
        [b!.uscc, 1, '0.2'],
      ].sort(),
    );
    // Hole 9: another park's team naming this cell is refused, not shown an empty list.
    const foreign = await aggregation.http.get<{ code: string }>(
      '/v1/aggregates/provenance?formId=torch-monthly&period=2026-08&groupBy=park&member=PT&indicator=qc05_0',
      { as: principals.park('HK') },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('AUTH.FORBIDDEN');
  });

  it('keeps the accepted revision when a newer one is rejected, and lets no older revision overwrite a newer one', async () => {
    const c = enterprises[2]!;
    const filingId = randomUUID();
    await publishEvents(kafka, aggregation.namespace, 'filing.validated.v1', [
      { key: c.uscc, payload: validated(c.uscc, '2026-06', { qc05_0: '70', qd01: '1' }, { filingId, revision: 3 }) },
      { key: c.uscc, payload: validated(c.uscc, '2026-06', { qc05_0: '50', qd01: '1' }, { filingId, revision: 2 }) },
      {
        key: c.uscc,
        payload: validated(
          c.uscc,
          '2026-06',
          { qc05_0: '999', qd01: '1' },
          { filingId, revision: 4, outcome: 'rejected' },
        ),
      },
    ]);
    await eventually(async () => (await ytd('2026-06')) === '70');
  });

  it('publishes aggregate.rolledup.v1 naming the cut-off', async () => {
    const events = await readEvents(kafka, aggregation.namespace, 'aggregate.rolledup.v1', (all) =>
      all.some((e) => e.payload.period === '2026-08' && e.payload.cutoff.filings === 2),
    );
    const last = events.filter((e) => e.payload.period === '2026-08').pop()!;
    expect(last.payload).toMatchObject({ parkCode: 'PT', formId: 'torch-monthly', cutoff: { filings: 2 } });
    expect(last.payload.cutoff.factsHash).toHaveLength(64);
  });

  it('shows the action-plan targets against the filed figures', async () => {
    const [, , c, d] = enterprises;
    await publishEvents(kafka, aggregation.namespace, 'filing.validated.v1', [
      { key: c!.uscc, payload: validated(c!.uscc, '2026-09', { qc05_0: '1000', qj20: '40', qd01: '7', qj55_2: '0' }) },
      { key: d!.uscc, payload: validated(d!.uscc, '2026-09', { qc05_0: '3000', qj20: '200', qd01: '9', qj55_2: '2' }) },
    ]);
    const targets = await eventually(async () => {
      const response = await aggregation.http.get<{
        targets: {
          id: string;
          actual: string | null;
          progressPercent: string | null;
          met: boolean | null;
          basis: { period: string } | null;
          measurable: boolean;
        }[];
      }>('/v1/targets?park=PT', { as: principals.park('PT') });
      const intensity = response.body.targets?.find((t) => t.id === 'PT-RD-INTENSITY');
      return intensity?.basis?.period === '2026-09' && intensity.actual === '6' ? response.body.targets : undefined;
    });
    // R&D / revenue over 普陀's enterprises: (40 + 200) / (1000 + 3000) = 6% against a target of 4%.
    expect(targets.find((t) => t.id === 'PT-RD-INTENSITY')).toMatchObject({
      actual: '6',
      progressPercent: '150',
      met: true,
    });
    expect(targets.find((t) => t.id === 'PT-PCT')).toMatchObject({ actual: '2', met: false });
    expect(targets.find((t) => t.id === 'PT-INCUBATOR')).toMatchObject({ measurable: false, actual: null });
    expect((await aggregation.http.get('/v1/targets?park=PT', { as: principals.park('CN') })).status).toBe(403);
  });

  it('lets a park team read only its own park', async () => {
    const own = await aggregation.http.get('/v1/aggregates?formId=torch-monthly&period=2026-08&groupBy=subPark', {
      as: principals.park('PT'),
    });
    expect(own.status).toBe(200);
    const other = await aggregation.http.get('/v1/aggregates?formId=torch-monthly&period=2026-08&park=PT', {
      as: principals.park('CN'),
    });
    expect(other.status).toBe(403);
    const enterprise = await aggregation.http.get('/v1/aggregates?formId=torch-monthly&period=2026-08', {
      as: principals.enterprise(enterprises[0]!.uscc),
    });
    expect(enterprise.status).toBe(403);
  });
});
