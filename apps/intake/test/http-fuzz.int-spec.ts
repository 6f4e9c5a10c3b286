import fc from 'fast-check';
import {
  bearer,
  enterpriseBody,
  fuzzRequests,
  fuzzText,
  generateRoster,
  pathParam,
  principals,
  runHttpFuzz,
  sqlQuery,
} from '@huoju/testing';
import { startTestIntake, type RunningIntake } from './intake.harness';

/** Issue 12: fuzzing the write and query endpoints; 520 batches of 20 = 10,400 requests. */
describe('intake HTTP fuzzing', () => {
  let intake: RunningIntake;
  const [first, second] = generateRoster({ size: 40, seed: 1_201 }).filter((e) =>
    e.scope.some((s) => s.formId === 'torch-monthly'),
  );
  const filing = {
    formId: 'torch-monthly',
    period: '2026-09',
    values: { qc05_0: '1200.5', qc55: '1000', qd01: '35', qj20: '88.25' },
  };
  let filingId = '';
  let tokens: string[] = [];

  beforeAll(async () => {
    intake = await startTestIntake();
    const created = await intake.http.post('/v1/enterprises', { as: principals.admin, body: enterpriseBody(first!) });
    expect(created.status).toBe(201);
    const submitted = await intake.http.post<{ filingId: string }>('/v1/filings', {
      as: principals.enterprise(first!.uscc),
      body: filing,
    });
    expect(submitted.status).toBeLessThan(300);
    filingId = submitted.body.filingId;
    tokens = await Promise.all(
      [
        principals.admin,
        principals.park(first!.parkCode),
        principals.enterprise(first!.uscc),
        principals.commission,
      ].map((principal) => bearer(principal)),
    );
  });

  afterAll(() => intake.stop());

  it('answers 10,000 generated requests with 2xx or 4xx problem+json, never 5xx, and stores nothing half', async () => {
    const uscc = fc.oneof(fc.constant(first!.uscc), fc.constant(second!.uscc), fuzzText).map(pathParam);
    const id = fc.oneof(fc.constant(filingId), fc.uuid(), fuzzText).map(pathParam);
    const changes = ['memberships', 'memberships/close', 'streets', 'qualifications', 'scope', 'scope/close'];
    const requests = fuzzRequests({
      tokens,
      validBodies: [enterpriseBody(second!), filing, { nameZh: 'x', contact: { name: 'y', phone: '021-62345678' } }],
      targets: [
        fc.constant(['POST', '/v1/filings'] as const),
        fc.constant(['POST', '/v1/filings:validate'] as const),
        id.map((value) => ['POST', `/v1/filings/${value}/explanations`] as const),
        id.map((value) => ['POST', `/v1/filings/${value}/return`] as const),
        fc.constant(['POST', '/v1/enterprises'] as const),
        uscc.map((value) => ['PATCH', `/v1/enterprises/${value}`] as const),
        fc
          .tuple(uscc, fc.constantFrom(...changes))
          .map(([value, change]) => ['POST', `/v1/enterprises/${value}/${change}`] as const),
        fc.constant(['POST', '/v1/api-keys'] as const),
        fc.constant(['POST', '/v1/auth/token'] as const),
        fc.constant(['GET', '/v1/filings'] as const),
        id.map((value) => ['GET', `/v1/filings/${value}`] as const),
        fc
          .tuple(id, fuzzText.map(pathParam))
          .map(([value, revision]) => ['GET', `/v1/filings/${value}/revisions/${revision}`] as const),
        fc.constant(['GET', '/v1/enterprises'] as const),
        uscc.map((value) => ['GET', `/v1/enterprises/${value}`] as const),
        uscc.map((value) => ['GET', `/v1/enterprises/${value}/history`] as const),
        fc.constant(['GET', '/v1/forms'] as const),
        fuzzText.map((value) => ['GET', `/v1/forms/${pathParam(value)}/rules`] as const),
        fc.constant(['GET', '/v1/api-keys'] as const),
        fc.constant(['GET', '/v1/enterprises:import/template'] as const),
      ],
    });

    const { sent, statuses } = await runHttpFuzz(intake.url, requests, { seed: 20_261_201, runs: 520 });
    console.info(`intake: fuzzed ${sent} requests; statuses ${JSON.stringify(statuses)}`);
    expect(sent).toBeGreaterThanOrEqual(10_000);

    const schema = `intake_${intake.namespace}`;
    const [halves] = await sqlQuery<{ filings: string; enterprises: string }>(
      `SELECT (SELECT count(*) FROM "${schema}".filing f WHERE NOT EXISTS (
                 SELECT 1 FROM "${schema}".filing_revision r WHERE r.filing_id = f.id AND r.revision = f.current_revision)) AS filings,
              (SELECT count(*) FROM "${schema}".enterprise e WHERE NOT EXISTS (
                 SELECT 1 FROM "${schema}".enterprise_membership m WHERE m.uscc = e.uscc)) AS enterprises`,
    );
    expect(halves).toEqual({ filings: '0', enterprises: '0' });
  }, 600_000);
});
