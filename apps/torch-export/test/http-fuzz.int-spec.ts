import fc from 'fast-check';
import { bearer, fuzzRequests, fuzzText, pathParam, principals, runHttpFuzz } from '@huoju/testing';
import { startTestTorchExport, type RunningTorchExport } from './torch-export.harness';

/** Issue 12: fuzzing torch-export's exports and auto-export settings; 260 batches of 20. */
describe('torch-export HTTP fuzzing', () => {
  let torchExport: RunningTorchExport;
  let tokens: string[] = [];

  beforeAll(async () => {
    torchExport = await startTestTorchExport();
    tokens = await Promise.all(
      [principals.admin, principals.commission, principals.park('CORE'), principals.park('PT')].map((principal) =>
        bearer(principal),
      ),
    );
  }, 120_000);

  afterAll(() => torchExport?.stop());

  it('answers 5,000 generated requests with 2xx or 4xx problem+json, never 5xx', async () => {
    const id = fc.oneof(fc.uuid(), fuzzText, fc.constant('------------------------------------')).map(pathParam);
    const park = fc.oneof(fc.constantFrom('CORE', 'PT', 'all'), fuzzText).map(pathParam);
    const requests = fuzzRequests({
      tokens,
      queryKeys: ['formId', 'period', 'park', 'format', 'state', 'limit', 'x'],
      validBodies: [
        { formId: 'torch-monthly', period: '2026-09', park: 'CORE', format: 'csv' },
        { enabled: true, formats: ['csv'] },
      ],
      targets: [
        fc.constant(['POST', '/v1/exports'] as const),
        fc.constant(['GET', '/v1/exports'] as const),
        id.map((value) => ['GET', `/v1/exports/${value}`] as const),
        id.map((value) => ['GET', `/v1/exports/${value}/file`] as const),
        id.map((value) => ['GET', `/v1/exports/${value}/manifest`] as const),
        fc.constant(['GET', '/v1/exports/auto'] as const),
        park.map((value) => ['GET', `/v1/exports/auto/${value}`] as const),
        park.map((value) => ['PUT', `/v1/exports/auto/${value}`] as const),
      ],
    });

    const { sent, statuses } = await runHttpFuzz(torchExport.url, requests, { seed: 20_261_203, runs: 260 });
    console.info(`torch-export: fuzzed ${sent} requests; statuses ${JSON.stringify(statuses)}`);
    expect(sent).toBeGreaterThanOrEqual(5_000);
  }, 600_000);
});
