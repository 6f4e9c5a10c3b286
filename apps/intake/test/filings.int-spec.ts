import { enterpriseBody, generateRoster, principals, type JsonResponse } from '@huoju/testing';
import { startTestIntake, type RunningIntake } from './intake.harness';

interface Receipt {
  filingId: string;
  revision: number;
  contentSha256: string;
  status: string;
}

describe('intake filings', () => {
  let intake: RunningIntake;
  const [enterprise, other] = generateRoster({ size: 40, seed: 11 }).filter((e) =>
    e.scope.some((s) => s.formId === 'torch-monthly'),
  );
  const filer = principals.enterprise(enterprise!.uscc);
  const body = {
    formId: 'torch-monthly',
    period: '2026-09',
    values: { qc05_0: '1200.5', qc55: '1000', qd01: '35', qj20: '88.25' },
  };

  beforeAll(async () => {
    intake = await startTestIntake();
    for (const e of [enterprise!, other!]) {
      const created = await intake.http.post('/v1/enterprises', { as: principals.admin, body: enterpriseBody(e) });
      expect(created.status).toBe(201);
    }
  });

  afterAll(() => intake.stop());

  it('answers 50 concurrent retries of one request with one filing, one revision and the same receipt', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        intake.http.post<Receipt>('/v1/filings', { as: filer, body, headers: { 'idempotency-key': 'retry-me' } }),
      ),
    );
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([202]));
    expect(new Set(responses.map((r) => r.body.filingId)).size).toBe(1);
    expect(new Set(responses.map((r) => r.body.revision))).toEqual(new Set([1]));
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'false')).toHaveLength(1);
    const filing = await intake.http.get<{ revisions: unknown[] }>(`/v1/filings/${responses[0]!.body.filingId}`, {
      as: filer,
    });
    expect(filing.body.revisions).toHaveLength(1);

    const conflict = await intake.http.post('/v1/filings', {
      as: filer,
      body: { ...body, values: { ...body.values, qd01: '36' } },
      headers: { 'idempotency-key': 'retry-me' },
    });
    expect(conflict).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY.KEY_REUSED' } });
  });

  it('supersedes with a new revision on amendment and keeps the whole history', async () => {
    const first = await intake.http.post<Receipt>('/v1/filings', { as: filer, body: { ...body, period: '2026-08' } });
    const second = await intake.http.post<Receipt>('/v1/filings', {
      as: filer,
      body: { ...body, period: '2026-08', values: { ...body.values, qc05_0: '1300' } },
    });
    expect(second.body).toMatchObject({ filingId: first.body.filingId, revision: 2 });
    expect(second.body.contentSha256).not.toBe(first.body.contentSha256);
    const history = await intake.http.get<{ currentRevision: number; revisions: { revision: number }[] }>(
      `/v1/filings/${first.body.filingId}`,
      { as: filer },
    );
    expect(history.body.currentRevision).toBe(2);
    expect(history.body.revisions.map((r) => r.revision)).toEqual([1, 2]);
    const old = await intake.http.get<{ values: Record<string, string> }>(
      `/v1/filings/${first.body.filingId}/revisions/1`,
      { as: filer },
    );
    expect(old.body.values.qc05_0).toBe('1200.5');
  });

  it('lists every field error of a bad filing in one problem+json response', async () => {
    const response: JsonResponse<{ code: string; errors: { pointer: string; code: string }[] }> =
      await intake.http.post('/v1/filings', {
        as: filer,
        body: {
          formId: 'torch-monthly',
          period: '2026-09',
          values: {
            qc05_0: 1200.5,
            qd01: '35.5',
            qc55: { value: '10', unit: '人' },
            qx99: '1',
            qj20: '1,000',
            qc13: '12.34567',
          },
          explanations: [{ ruleCode: 'TM-YTD-001', reasonCode: 'OTHER', text: '核实无误' }],
        },
      });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors.map((e) => `${e.pointer} ${e.code}`).sort()).toEqual([
      '/explanations/0/text EXPLANATION.BOILERPLATE',
      '/values/qc05_0 VALUE.NOT_A_STRING',
      '/values/qc13 VALUE.TOO_PRECISE',
      '/values/qc55 VALUE.UNIT_MISMATCH',
      '/values/qd01 VALUE.TOO_PRECISE',
      '/values/qj20 VALUE.NOT_DECIMAL',
      '/values/qx99 VALUE.UNKNOWN_INDICATOR',
    ]);
  });

  it('refuses a period that has not opened, an unknown form and an enterprise out of scope', async () => {
    const early = await intake.http.post<{ errors: { code: string }[] }>('/v1/filings', {
      as: filer,
      body: { ...body, period: '2027-05' },
    });
    expect(early.status).toBe(422);
    expect(early.body.errors.map((e) => e.code)).toContain('FILING.PERIOD_NOT_OPEN');
    const stranger = principals.enterprise('91310000MA1FL0000X');
    const unknown = await intake.http.post<{ errors: { code: string }[] }>('/v1/filings', { as: stranger, body });
    expect(unknown.body.errors.map((e) => e.code)).toEqual(['FILING.ENTERPRISE_UNKNOWN']);
  });

  it('refuses a 2 MB body cleanly, with nothing stored', async () => {
    const huge = JSON.stringify({ ...body, padding: 'x'.repeat(2 * 1024 * 1024) });
    const response = await intake.http.post<{ code: string }>('/v1/filings', { as: filer, raw: huge });
    expect(response).toMatchObject({ status: 413, body: { code: 'REQUEST.TOO_LARGE' } });
    const malformed = await intake.http.post<{ code: string }>('/v1/filings', { as: filer, raw: '{"formId": ' });
    expect(malformed).toMatchObject({ status: 400, body: { code: 'REQUEST.MALFORMED_JSON' } });
  });

  it('never lets anyone but the enterprise itself file its figures', async () => {
    for (const principal of [
      principals.admin,
      principals.commission,
      principals.park(enterprise!.parkCode),
      principals.enterprise(other!.uscc),
    ]) {
      const response = await intake.http.post('/v1/filings', {
        as: principal,
        body: { ...body, uscc: enterprise!.uscc },
      });
      expect(response.status).toBe(403);
    }
    expect((await intake.http.post('/v1/filings', { body })).status).toBe(401);
  });
});
