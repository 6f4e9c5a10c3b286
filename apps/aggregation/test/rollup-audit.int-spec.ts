import { principals, readEvents, sqlQuery, testKafka } from '@huoju/testing';
import { namespaced } from '@huoju/platform';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

const kafka = testKafka('aggregation-audit');

describe('roll-up audit', () => {
  let aggregation: RunningAggregation;

  beforeAll(async () => {
    aggregation = await startTestAggregation();
  });

  afterAll(() => aggregation.stop());

  it('records each accepted roll-up request for intake’s audit log, and nothing for a refused one', async () => {
    const team = principals.park('PT');
    const accepted = await aggregation.http.post<{ jobs: { id: string }[] }>('/v1/rollups', {
      as: team,
      body: { park: 'PT', period: '2026-08' },
    });
    expect(accepted.status).toBe(202);
    expect(
      (await aggregation.http.post('/v1/rollups', { as: team, body: { park: 'HK', period: '2026-08' } })).status,
    ).toBe(403);

    const [event] = await readEvents(kafka, aggregation.namespace, 'audit.recorded.v1', (seen) => seen.length >= 1);
    expect(event!.key).toBe(team.subject);
    expect(event!.payload).toMatchObject({
      service: 'aggregation',
      actor: team.subject,
      role: 'park',
      action: 'rollup.request',
      target: 'PT',
      ip: '127.0.0.1',
      details: { formId: 'torch-monthly', period: '2026-08', jobs: accepted.body.jobs.map((job) => job.id) },
    });
    const schema = namespaced(aggregation.namespace).schema('aggregation');
    const [outbox] = await sqlQuery<{ n: string }>(
      `SELECT count(*) AS n FROM "${schema}".outbox WHERE topic = 'audit.recorded.v1'`,
    );
    expect(outbox!.n).toBe('1');
  });
});
