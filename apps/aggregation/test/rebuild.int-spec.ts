import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { FilingValidated } from '@huoju/contracts';
import { loadConfig } from '@huoju/platform';
import {
  TEST_CLOCK_START,
  TEST_AUTH_ENV,
  demoValues,
  enterpriseChanged,
  eventually,
  generateRoster,
  inScopeOn,
  publishEvents,
  serviceEnvironment,
  sqlQuery,
  testKafka,
} from '@huoju/testing';
import { aggregationConfigSchema } from '../src/aggregation.config';
import { rebuildAggregates } from '../src/rebuild/rebuild';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

const kafka = testKafka('aggregation-rebuild');
const roster = generateRoster({ size: 400, seed: 404 });
const months = ['2026-07', '2026-08', '2026-09'];

/** A realistic season: every enterprise in scope files each month, some amend, some are rejected then fixed. */
function season(): FilingValidated[] {
  const events: FilingValidated[] = [];
  roster.forEach((enterprise, index) => {
    months.forEach((period, m) => {
      if (!inScopeOn(enterprise, 'torch-monthly', `${period}-28`) || index % 11 === m) return;
      const filingId = randomUUID();
      const values = demoValues(enterprise, 7 + m);
      const base = {
        filingId,
        attempt: 1,
        reason: 'submitted' as const,
        uscc: enterprise.uscc,
        formId: 'torch-monthly' as const,
        formVersion: '2026.1',
        ruleSetVersion: '2026.1',
        period,
        findings: [],
        contentSha256: 'f'.repeat(64),
        receivedAt: '2026-10-01T00:00:00.000Z',
        validatedAt: '2026-10-01T00:00:01.000Z',
      };
      if (index % 7 === 0) {
        events.push({ ...base, revision: 1, verdict: 1, outcome: 'rejected', values: { ...values, qc05_0: '-1' } });
        events.push({ ...base, revision: 2, verdict: 1, outcome: 'accepted', values });
      } else {
        events.push({ ...base, revision: 1, verdict: 1, outcome: 'accepted', values });
      }
      if (index % 5 === 0)
        events.push({
          ...base,
          revision: 3,
          verdict: 1,
          outcome: 'accepted',
          values: { ...values, qc05_0: (Number(values.qc05_0) + 17.5).toFixed(3) },
        });
    });
  });
  return events;
}

describe('rebuild from the log', () => {
  let live: RunningAggregation;

  beforeAll(async () => {
    live = await startTestAggregation({ ROLLUP_DEBOUNCE_MS: '100' });
  });

  afterAll(() => live.stop());

  it('gives exactly the live incremental aggregates', async () => {
    await publishEvents(
      kafka,
      live.namespace,
      'registry.enterprise-changed.v1',
      roster.map((e) => ({ key: e.uscc, payload: enterpriseChanged(e) })),
    );
    const events = season();
    for (let i = 0; i < events.length; i += 500) {
      await publishEvents(
        kafka,
        live.namespace,
        'filing.validated.v1',
        events.slice(i, i + 500).map((payload) => ({ key: payload.uscc, payload })),
      );
    }
    await eventually(async () => {
      const [row] = await sqlQuery<{ n: string }>(`SELECT count(*) AS n FROM aggregation_${live.namespace}.verdict`);
      return Number(row!.n) === events.length;
    }, 60_000);

    const config = loadConfig(
      'aggregation',
      aggregationConfigSchema,
      serviceEnvironment(live.namespace, { ...TEST_AUTH_ENV, HUOJU_CLOCK_START: TEST_CLOCK_START }),
    );
    const report = await rebuildAggregates(config, pino({ level: 'warn' }));
    expect(report.differences.figure!.rows).toBeGreaterThan(1000);
    expect(report.differences.fact!.rows).toBeGreaterThan(3000);
    expect(report.differences).toEqual(
      Object.fromEntries(
        Object.entries(report.differences).map(([table, d]) => [table, { ...d, onlyLive: 0, onlyRebuilt: 0 }]),
      ),
    );
    expect(report.identical).toBe(true);
  }, 300_000);
});
