import { principals } from '@huoju/testing';
import { startTestTorchExport, type RunningTorchExport } from './torch-export.harness';

const request = { formId: 'torch-monthly', period: '2026-08', park: 'PT', format: 'csv' };

describe('export quota', () => {
  let service: RunningTorchExport;

  beforeAll(async () => {
    service = await startTestTorchExport({ EXPORT_QUOTA: '2/day' });
  });

  afterAll(() => service.stop());

  it('refuses a principal’s third export of the day with 429 and Retry-After, and counts only requests it accepted', async () => {
    const team = principals.park('PT');
    // Refused requests (a foreign park, a bad body) use up nothing.
    expect((await service.http.post('/v1/exports', { as: team, body: { ...request, park: 'HK' } })).status).toBe(403);
    expect((await service.http.post('/v1/exports', { as: team, body: { ...request, format: 'pdf' } })).status).toBe(
      422,
    );
    for (let n = 0; n < 2; n++)
      expect((await service.http.post('/v1/exports', { as: team, body: request })).status).toBe(202);

    const refused = await service.http.post<Record<string, unknown>>('/v1/exports', { as: team, body: request });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'REQUEST.QUOTA_EXCEEDED', quota: { limit: 2, window: 'day' } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600);

    // The quota is per principal: another caller still exports.
    expect((await service.http.post('/v1/exports', { as: principals.commission, body: request })).status).toBe(202);
  });
});
