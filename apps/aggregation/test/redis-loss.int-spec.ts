import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { FilingValidated } from '@huoju/contracts';
import { bullConnection } from '@huoju/platform';
import {
  enterpriseChanged,
  eventually,
  generateRoster,
  infrastructureUrls,
  inScopeOn,
  publishEvents,
  sqlQuery,
  testKafka,
} from '@huoju/testing';
import { DEADLINE_QUEUE } from '../src/compliance/compliance.jobs';
import { ROLLUP_QUEUE } from '../src/rollups/rollup.jobs';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

/**
 * Redis loses everything (a flush, here of this test's namespace only — the machine's Redis is shared):
 * the pending roll-up and the job schedulers are created again from PostgreSQL by the reconciler.
 */
const kafka = testKafka('aggregation-redis-loss');
const [enterprise] = generateRoster({ size: 300, seed: 52 }).filter(
  (e) => e.parkCode === 'PT' && inScopeOn(e, 'torch-monthly', '2026-01-01'),
);

describe('a Redis flush', () => {
  let aggregation: RunningAggregation;
  let redis: Redis;
  const queues: Queue[] = [];

  beforeAll(async () => {
    // Compliance reads its variables from process.env at module creation.
    const sweepEvery = process.env.COMPLIANCE_SWEEP_EVERY_MS;
    process.env.COMPLIANCE_SWEEP_EVERY_MS = '500';
    aggregation = await startTestAggregation({
      // Long enough for the flush to catch the roll-up while it waits in Redis.
      ROLLUP_DEBOUNCE_MS: '4000',
      ROLLUP_RECONCILE_EVERY_MS: '500',
    }).finally(() => {
      if (sweepEvery === undefined) delete process.env.COMPLIANCE_SWEEP_EVERY_MS;
      else process.env.COMPLIANCE_SWEEP_EVERY_MS = sweepEvery;
    });
    redis = new Redis(infrastructureUrls().redisUrl);
    for (const name of [ROLLUP_QUEUE, DEADLINE_QUEUE])
      queues.push(
        new Queue(name, {
          connection: bullConnection(infrastructureUrls().redisUrl),
          prefix: `huoju:${aggregation.namespace}:aggregation`,
        }),
      );
    await publishEvents(kafka, aggregation.namespace, 'registry.enterprise-changed.v1', [
      { key: enterprise!.uscc, payload: enterpriseChanged(enterprise!) },
    ]);
  });

  afterAll(async () => {
    await Promise.all(queues.map((queue) => queue.close()));
    redis.disconnect();
    await aggregation.stop();
  });

  /** Deletes every key of this namespace, as FLUSHALL would (never FLUSHALL on the shared server). */
  async function flushNamespace(): Promise<number> {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `huoju:${aggregation.namespace}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  it('re-queues the pending roll-up and re-creates the job schedulers', async () => {
    const schema = `aggregation_${aggregation.namespace}`;
    const verdict: FilingValidated = {
      filingId: randomUUID(),
      revision: 1,
      attempt: 1,
      verdict: 1,
      reason: 'submitted',
      uscc: enterprise!.uscc,
      formId: 'torch-monthly',
      formVersion: '2026.1',
      ruleSetVersion: '2026.1',
      period: '2031-05',
      outcome: 'accepted',
      findings: [],
      values: { qc05_0: '100', qd01: '3' },
      contentSha256: 'a'.repeat(64),
      receivedAt: '2031-06-01T00:00:00.000Z',
      validatedAt: '2031-06-01T00:00:01.000Z',
    };
    await publishEvents(kafka, aggregation.namespace, 'filing.validated.v1', [{ key: verdict.uscc, payload: verdict }]);
    // The figure is served at once (the delta), and the roll-up is pending in PostgreSQL and delayed in Redis.
    await eventually(
      async () =>
        (await sqlQuery(`SELECT 1 FROM ${schema}.rollup_pending WHERE period = '2031-05' AND park_code = 'PT'`))
          .length === 1,
    );
    const [rollups, deadlines] = queues;
    expect(await rollups!.getJobScheduler('close-periods')).toBeDefined();
    expect(await deadlines!.getJobScheduler('compliance-sweep')).toBeDefined();
    expect(await rollups!.getDelayedCount()).toBeGreaterThan(0);

    expect(await flushNamespace()).toBeGreaterThan(0);
    expect(await rollups!.getJobScheduler('close-periods')).toBeUndefined();

    await eventually(
      async () =>
        (
          await sqlQuery(
            `SELECT 1 FROM ${schema}.rollup_run WHERE period = '2031-05' AND park_code = 'PT' AND state = 'completed'`,
          )
        ).length > 0,
      30_000,
      250,
    );
    expect(await sqlQuery(`SELECT 1 FROM ${schema}.rollup_pending WHERE period = '2031-05'`)).toEqual([]);
    await eventually(async () => (await rollups!.getJobScheduler('close-periods')) !== undefined, 10_000, 250);
    await eventually(
      async () =>
        (await deadlines!.getJobScheduler('compliance-sweep')) !== undefined &&
        (await deadlines!.getJobScheduler('compliance-catch-up')) !== undefined,
      10_000,
      250,
    );
  }, 60_000);
});
