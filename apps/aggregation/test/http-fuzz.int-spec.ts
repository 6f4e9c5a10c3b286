import fc from 'fast-check';
import { bearer, fuzzRequests, fuzzText, pathParam, principals, runHttpFuzz } from '@huoju/testing';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

/** Issue 12: fuzzing aggregation's query endpoints, roll-ups and webhook settings; 260 batches of 20. */
describe('aggregation HTTP fuzzing', () => {
  let aggregation: RunningAggregation;
  let tokens: string[] = [];

  beforeAll(async () => {
    aggregation = await startTestAggregation();
    tokens = await Promise.all(
      [principals.admin, principals.commission, principals.park('CORE'), principals.street('310115125')].map(
        (principal) => bearer(principal),
      ),
    );
  }, 120_000);

  afterAll(() => aggregation?.stop());

  it('answers 5,000 generated requests with 2xx or 4xx problem+json, never 5xx', async () => {
    const unit = fc
      .tuple(
        fc.oneof(fc.constantFrom('park', 'street'), fuzzText),
        fc.oneof(fc.constantFrom('CORE', '310115125'), fuzzText),
      )
      .map(([kind, code]) => `${pathParam(kind)}/${pathParam(code)}`);
    const requests = fuzzRequests({
      tokens,
      queryKeys: [
        'form',
        'period',
        'periods',
        'to',
        'indicator',
        'groupBy',
        'park',
        'measure',
        'format',
        'member',
        'limit',
        'x',
      ],
      validBodies: [
        { park: 'CORE', formId: 'torch-monthly', period: '2026-09' },
        { url: 'https://hooks.example.org/huoju', secret: 'a-secret-of-sixteen-or-more' },
      ],
      targets: [
        fc.constant(['GET', '/v1/aggregates'] as const),
        fc.constant(['GET', '/v1/aggregates/provenance'] as const),
        fc.constant(['POST', '/v1/rollups'] as const),
        fc.oneof(fc.uuid(), fuzzText).map((id) => ['GET', `/v1/rollups/${pathParam(id)}`] as const),
        fc.constant(['GET', '/v1/targets'] as const),
        fc.constant(['GET', '/v1/compliance'] as const),
        fc.constant(['GET', '/v1/compliance/trend'] as const),
        fc.constant(['GET', '/v1/compliance/evaluation'] as const),
        unit.map((path) => ['PUT', `/v1/compliance/webhooks/${path}`] as const),
        unit.map((path) => ['GET', `/v1/compliance/webhooks/${path}`] as const),
        unit.map((path) => ['GET', `/v1/compliance/webhooks/${path}/deliveries`] as const),
      ],
    });

    const { sent, statuses } = await runHttpFuzz(aggregation.url, requests, { seed: 20_261_202, runs: 260 });
    console.info(`aggregation: fuzzed ${sent} requests; statuses ${JSON.stringify(statuses)}`);
    expect(sent).toBeGreaterThanOrEqual(5_000);
  }, 600_000);
});
