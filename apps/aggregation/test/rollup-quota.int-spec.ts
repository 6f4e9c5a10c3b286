import { principals } from '@huoju/testing';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

describe('roll-up quota', () => {
  let aggregation: RunningAggregation;

  beforeAll(async () => {
    aggregation = await startTestAggregation({ ROLLUP_QUOTA: '2/hour' });
  });

  afterAll(() => aggregation.stop());

  it('refuses a principal’s third roll-up of the hour with 429 and Retry-After, and counts only requests it accepted', async () => {
    const team = principals.park('PT');
    const body = { park: 'PT', period: '2026-08' };
    expect((await aggregation.http.post('/v1/rollups', { as: team, body: { ...body, park: 'HK' } })).status).toBe(403);
    expect(
      (await aggregation.http.post('/v1/rollups', { as: team, body: { ...body, period: '2027-06' } })).status,
    ).toBe(422);
    for (let n = 0; n < 2; n++)
      expect((await aggregation.http.post('/v1/rollups', { as: team, body })).status).toBe(202);

    const refused = await aggregation.http.post<Record<string, unknown>>('/v1/rollups', { as: team, body });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'REQUEST.QUOTA_EXCEEDED', quota: { limit: 2, window: 'hour' } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);

    expect((await aggregation.http.post('/v1/rollups', { as: principals.commission, body })).status).toBe(202);
  });
});
