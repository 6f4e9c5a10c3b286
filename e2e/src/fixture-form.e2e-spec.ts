import {
  FIXTURE_FORMS_DIR,
  FIXTURE_FORM_ID,
  Platform,
  bearer,
  enterpriseBody,
  eventually,
  generateRoster,
  inScopeOn,
  principals,
} from '@huoju/testing';
import type { AggregationRoutes, IntakeRoutes, ResponseOf, TorchExportRoutes } from '@huoju/contracts/http';

type Receipt = ResponseOf<IntakeRoutes['submitFiling'], 202>;
type FilingView = ResponseOf<IntakeRoutes['getFiling'], 200>;
type FormView = ResponseOf<IntakeRoutes['getForm'], 200>;
type ComplianceView = ResponseOf<AggregationRoutes['getCompliance'], 200>;
type ExportView = ResponseOf<TorchExportRoutes['requestExport'], 202>;

// Three service-sector enterprises of 普陀, put in scope of the fixture form when registered.
const [first, second, third] = generateRoster({ size: 2000, seed: 2026 }).filter(
  (e) => e.parkCode === 'PT' && inScopeOn(e, 'torch-monthly', '2026-01-01') && !/^[BCD]/.test(e.industryCode),
);

/**
 * `fixture-monthly` exists only as JSON in libs/testing/fixtures/forms. The four services are started with
 * FORM_CATALOG_EXTRA_DIR pointing there — the way an operator adds a form — and nothing else: the form is
 * filed, validated by its own rules, aggregated and exported as SDMX-CSV under its own dataflow.
 */
describe('a form that exists only as JSON', () => {
  const platform = new Platform({ FORM_CATALOG_EXTRA_DIR: FIXTURE_FORMS_DIR });
  const intake = () => platform.http('intake');
  const aggregation = () => platform.http('aggregation');
  const exporter = () => platform.http('torch-export');

  beforeAll(async () => {
    await platform.start();
    for (const enterprise of [first!, second!, third!]) {
      const body = enterpriseBody(enterprise);
      const created = await intake().post('/v1/enterprises', {
        as: principals.admin,
        body: { ...body, scope: [...body.scope, { formId: FIXTURE_FORM_ID, validFrom: '2026-01-01' }] },
      });
      expect(created.status).toBe(201);
    }
  });

  afterAll(() => platform.stop());

  async function file(uscc: string, period: string, values: Record<string, string>): Promise<FilingView> {
    const receipt = await intake().post<Receipt>('/v1/filings', {
      as: principals.enterprise(uscc),
      body: { formId: FIXTURE_FORM_ID, period, values },
    });
    expect(receipt.status).toBe(202);
    return eventually(async () => {
      const view = await intake().get<FilingView>(`/v1/filings/${receipt.body.filingId}`, {
        as: principals.enterprise(uscc),
      });
      return ['accepted', 'needs-explanation', 'rejected'].includes(view.body.status) ? view.body : undefined;
    });
  }

  it('is served by intake with the dates of its own schedule', async () => {
    const response = await intake().get<FormView>(`/v1/forms/${FIXTURE_FORM_ID}?period=2026-09`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      formId: FIXTURE_FORM_ID,
      periodType: 'month',
      sdmxDataflow: { agency: 'HUOJU', id: 'FIXTURE_MONTHLY', version: '1.0' },
      deadlines: { period: '2026-09', dueOn: '2026-10-10', graceEndsOn: '2026-10-12' },
    });
    expect(response.body.indicators.map((indicator) => indicator.code)).toEqual(['fx_rev', 'fx_tech', 'fx_emp']);
  });

  it('is validated by its own rules: accepted, and rejected when the 其中 item exceeds its total', async () => {
    expect((await file(first!.uscc, '2026-08', { fx_rev: '60', fx_tech: '20', fx_emp: '11' })).status).toBe('accepted');
    expect((await file(second!.uscc, '2026-08', { fx_rev: '8', fx_tech: '0', fx_emp: '7' })).status).toBe('accepted');
    const september = await file(first!.uscc, '2026-09', { fx_rev: '100.5', fx_tech: '40.25', fx_emp: '12' });
    expect(september.status).toBe('accepted');
    expect(september.current.findings).toEqual([]);
    expect((await file(second!.uscc, '2026-09', { fx_rev: '20.125', fx_tech: '5', fx_emp: '8' })).status).toBe(
      'accepted',
    );

    const rejected = await file(third!.uscc, '2026-09', { fx_rev: '10', fx_tech: '12', fx_emp: '3' });
    expect(rejected.status).toBe('rejected');
    expect(rejected.current.findings.map((f) => [f.ruleCode, f.severity, f.pointer])).toEqual([
      ['FX-PAR-001', 'error', '/values/fx_tech'],
    ]);
  });

  it('is aggregated: the park’s year-to-date, single-month and stock figures, exactly', async () => {
    const figure = (indicator: string, measure: string) =>
      eventually(async () => {
        const response = await aggregation().get<{ rows: { member: string; value: string | null }[] }>(
          `/v1/aggregates?formId=${FIXTURE_FORM_ID}&period=2026-09&indicator=${indicator}&groupBy=park&measure=${measure}`,
          { as: principals.commission },
        );
        return response.status === 200 ? response.body.rows.find((row) => row.member === 'PT') : undefined;
      });
    await eventually(async () => (await figure('fx_rev', 'ytd')).value === '120.625');
    expect((await figure('fx_rev', 'month')).value).toBe('52.625'); // (100.5 − 60) + (20.125 − 8)
    expect((await figure('fx_tech', 'ytd')).value).toBe('45.25');
    expect((await figure('fx_emp', 'ytd')).value).toBe('20'); // a stock: levels summed, never over months
  });

  it('is chased by compliance on its own calendar', async () => {
    // Aggregation learns of each verdict from Kafka: wait until it holds the three filers' outcomes.
    const response = await eventually(async () => {
      const view = await aggregation().get<ComplianceView>(
        `/v1/compliance?form=${FIXTURE_FORM_ID}&period=2026-09&park=PT`,
        { as: principals.park('PT') },
      );
      return view.status === 200 && view.body.queue.every((row) => row.latestOutcome !== null) ? view : undefined;
    });
    expect(response.body.calendar).toMatchObject({ dueOn: '2026-10-10', graceEndsOn: '2026-10-12' });
    expect(response.body.expected).toBe(3);
    // On 20 October its grace (10–12 October) has passed: both September filings were late, and the
    // enterprise whose filing was rejected is overdue.
    expect(response.body.counts).toMatchObject({ 'filed-on-time': 0, 'filed-late': 2, overdue: 1, rejected: 0 });
    const overdue = response.body.queue.find((row) => row.status === 'overdue');
    expect(overdue).toMatchObject({ uscc: third!.uscc, latestOutcome: 'rejected', dueOn: '2026-10-10' });
  });

  it('is exported as SDMX-CSV under its own dataflow, with the figures exactly', async () => {
    const park = principals.park('PT');
    const text = await eventually(async () => {
      const job = await exporter().post<ExportView>('/v1/exports', {
        as: park,
        body: { formId: FIXTURE_FORM_ID, period: '2026-09', park: 'PT', format: 'sdmx-csv' },
      });
      expect(job.status).toBe(202);
      const done = await eventually(async () => {
        const view = await exporter().get<{ state: string }>(`/v1/exports/${job.body.id}`, { as: park });
        return ['completed', 'failed'].includes(view.body.state) ? view.body : undefined;
      });
      expect(done.state).toBe('completed');
      const file = await fetch(`${platform.url('torch-export')}/v1/exports/${job.body.id}/file`, {
        headers: { authorization: await bearer(park) },
      });
      const body = (await file.text()).replace(/^\uFEFF/, '');
      // torch-export learns of the verdicts from Kafka too: export again until it holds all four.
      return body.includes(',PT,_T,2026-09,fx_rev,YTD,120.625') ? body : undefined;
    });
    const parkTotals = text
      .split(/\r?\n/)
      .filter((line) => line.includes(',PT,_T,'))
      .map((line) => line.split(',').slice(1).join(','));
    expect(parkTotals).toEqual([
      'HUOJU:FIXTURE_MONTHLY(1.0),I,PT,_T,2026-09,fx_rev,YTD,120.625',
      'HUOJU:FIXTURE_MONTHLY(1.0),I,PT,_T,2026-09,fx_rev,M,52.625',
      'HUOJU:FIXTURE_MONTHLY(1.0),I,PT,_T,2026-09,fx_tech,YTD,45.25',
      'HUOJU:FIXTURE_MONTHLY(1.0),I,PT,_T,2026-09,fx_tech,M,25.25',
      'HUOJU:FIXTURE_MONTHLY(1.0),I,PT,_T,2026-09,fx_emp,YTD,20',
      'HUOJU:FIXTURE_MONTHLY(1.0),I,PT,_T,2026-09,fx_emp,M,20',
    ]);
  });
});
