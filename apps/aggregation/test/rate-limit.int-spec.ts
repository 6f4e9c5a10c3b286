import { principals } from '@huoju/testing';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

describe('rate limits (hole 10)', () => {
  let aggregation: RunningAggregation;

  beforeAll(async () => {
    aggregation = await startTestAggregation({ RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '4' });
  }, 120_000);
  afterAll(() => aggregation?.stop());

  it('limits each principal and each address, with 429 problem+json and Retry-After; health is never limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await aggregation.http.get('/v1/targets', { as: principals.commission })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await aggregation.http.get<{ code: string }>('/v1/targets', { as: principals.commission });
    expect(refused.body.code).toBe('REQUEST.RATE_LIMITED');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another principal has its own count, until the address as a whole is over its limit.
    expect((await aggregation.http.get('/v1/targets?park=PT', { as: principals.park('PT') })).status).toBe(200);
    expect((await aggregation.http.get('/v1/targets?park=HK', { as: principals.park('HK') })).status).toBe(429);
    expect((await fetch(`${aggregation.url}/health`)).status).toBe(200);
  });
});
