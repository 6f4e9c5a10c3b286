import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { FilingValidated } from '@huoju/contracts';
import {
  enterpriseChanged,
  eventually,
  filingValidated,
  generateRoster,
  inScopeOn,
  infrastructureUrls,
  principals,
  publishEvents,
  sqlQuery,
  testKafka,
} from '@huoju/testing';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

/**
 * A provisional reconciliation reads one snapshot and takes the figures' locks only to repair: a park whose
 * filings keep arriving is reconciled without holding up their deltas, and a defect is still repaired.
 */
const kafka = testKafka('aggregation-reconciliation');
const PERIOD = '2026-10';
const [first, second] = generateRoster({ size: 400, seed: 47 }).filter(
  (e) => e.parkCode === 'HK' && inScopeOn(e, 'torch-monthly', '2026-10-01'),
);

function accepted(uscc: string, qc05_0: string, filingId: string, revision: number): FilingValidated {
  return filingValidated(
    uscc,
    PERIOD,
    { qc05_0, qd01: '10' },
    { filingId, revision, receivedAt: '2026-11-02T02:00:00.000Z' },
  );
}

describe('reconciliation of an open period', () => {
  let aggregation: RunningAggregation;
  let schema: string;
  const filingId = randomUUID();

  beforeAll(async () => {
    // 5 November: October has ended but is not due until the 15th, so its figures are provisional.
    aggregation = await startTestAggregation({ HUOJU_CLOCK_START: '2026-11-05T00:00:00.000Z' });
    schema = `aggregation_${aggregation.namespace}`;
    await publishEvents(
      kafka,
      aggregation.namespace,
      'registry.enterprise-changed.v1',
      [first!, second!].map((e) => ({ key: e.uscc, payload: enterpriseChanged(e) })),
    );
    await publishEvents(kafka, aggregation.namespace, 'filing.validated.v1', [
      { key: first!.uscc, payload: accepted(first!.uscc, '1000', filingId, 1) },
      { key: second!.uscc, payload: accepted(second!.uscc, '500', randomUUID(), 1) },
    ]);
    // The first reconciliation starts maintaining the park-period.
    await eventually(async () => (await completedRuns()).length > 0 && (await pending()) === 0, 30_000);
  });

  afterAll(() => aggregation.stop());

  async function completedRuns(): Promise<{ id: string; defects: number }[]> {
    return sqlQuery(
      `SELECT id, defects FROM ${schema}.rollup_run WHERE period = $1 AND park_code = 'HK' AND state = 'completed' ORDER BY started_at`,
      [PERIOD],
    );
  }

  async function runState(id: string): Promise<string | undefined> {
    const [run] = await sqlQuery<{ state: string }>(`SELECT state FROM ${schema}.rollup_run WHERE id = $1`, [id]);
    return run?.state;
  }

  async function pending(): Promise<number> {
    const [row] = await sqlQuery<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}.rollup_pending WHERE period = $1 AND park_code = 'HK'`,
      [PERIOD],
    );
    return Number(row!.n);
  }

  async function parkRevenue(): Promise<string | undefined> {
    const response = await aggregation.http.get<{ rows: { member: string; value: string }[] }>(
      `/v1/aggregates?formId=torch-monthly&period=${PERIOD}&indicator=qc05_0&groupBy=park`,
      { as: principals.commission },
    );
    return response.body.rows.find((row) => row.member === 'HK')?.value;
  }

  async function requestRollup(): Promise<string> {
    const response = await aggregation.http.post<{ jobs: { id: string }[] }>('/v1/rollups', {
      as: principals.commission,
      body: { park: 'HK', formId: 'torch-monthly', period: PERIOD },
    });
    expect(response.status).toBe(202);
    return response.body.jobs[0]!.id;
  }

  /** Holds the advisory lock a delta of the park-period takes, as a long-running filing transaction would. */
  async function holdFigureLock(): Promise<Client> {
    const client = new Client({ connectionString: infrastructureUrls().databaseUrl });
    await client.connect();
    await client.query(`SET search_path TO ${schema}`);
    await client.query(`SELECT pg_advisory_lock(hashtextextended(current_schema() || '|figure|' || $1, 0))`, [
      `torch-monthly|${PERIOD}|HK`,
    ]);
    return client;
  }

  it('completes while a delta holds the figures’ lock, when nothing needs repair', async () => {
    const lock = await holdFigureLock();
    try {
      const id = await requestRollup();
      await eventually(async () => (await runState(id)) === 'completed', 30_000);
      expect((await completedRuns()).find((run) => run.id === id)?.defects).toBe(0);
    } finally {
      await lock.end();
    }
  });

  it('repairs a corrupted figure under the lock, and counts it as a defect', async () => {
    expect(await parkRevenue()).toBe('1500');
    const lock = await holdFigureLock();
    let id: string;
    try {
      await sqlQuery(
        `UPDATE ${schema}.figure SET ytd = ytd + 1 WHERE period = $1 AND park_code = 'HK' AND dimension = 'park' AND indicator = 'qc05_0'`,
        [PERIOD],
      );
      id = await requestRollup();
      // The snapshot found the difference, so the repair waits for the lock the "delta" holds.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(await runState(id)).toBe('running');
    } finally {
      await lock.end();
    }
    await eventually(async () => (await runState(id)) === 'completed', 30_000);
    expect((await completedRuns()).find((run) => run.id === id)?.defects).toBeGreaterThan(0);
    expect(await parkRevenue()).toBe('1500');
  });

  it('finishes the pending request an amendment made, from a snapshot that includes it', async () => {
    const before = (await completedRuns()).length;
    await publishEvents(kafka, aggregation.namespace, 'filing.validated.v1', [
      { key: first!.uscc, payload: accepted(first!.uscc, '1200.5', filingId, 2) },
    ]);
    await eventually(async () => (await parkRevenue()) === '1700.5', 30_000);
    await eventually(async () => (await completedRuns()).length > before && (await pending()) === 0, 30_000);
    const runs = await completedRuns();
    expect(runs.slice(before).every((run) => run.defects === 0)).toBe(true);
  });
});
