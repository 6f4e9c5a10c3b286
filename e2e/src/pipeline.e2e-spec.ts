import {
  Platform,
  bearer,
  enterpriseBody,
  eventually,
  generateRoster,
  inScopeOn,
  principals,
  sqlQuery,
} from '@huoju/testing';
import type { IntakeRoutes, ResponseOf, TorchExportRoutes } from '@huoju/contracts/http';

// The shapes come from the HTTP contracts the services validate and document with.
type Receipt = ResponseOf<IntakeRoutes['submitFiling'], 202>;
type FilingView = ResponseOf<IntakeRoutes['getFiling'], 200>;
type DryRun = ResponseOf<IntakeRoutes['validateFiling'], 200>;
type ExportView = ResponseOf<TorchExportRoutes['requestExport'], 202>;

// Service-sector enterprises in 普陀 that file monthly all through 2026.
const roster = generateRoster({ size: 2000, seed: 2026 }).filter(
  (e) =>
    e.parkCode === 'PT' &&
    inScopeOn(e, 'torch-monthly', '2026-01-01') &&
    inScopeOn(e, 'torch-monthly', '2026-12-31') &&
    !/^[BCD]/.test(e.industryCode),
);
const clean = (revenue: string) => ({ qc05_0: revenue, qc55: revenue, qd01: '25', qj20: '10' });

describe('the filing pipeline across the four services', () => {
  const platform = new Platform();
  const intake = () => platform.http('intake');
  const aggregation = () => platform.http('aggregation');

  beforeAll(async () => {
    expect(roster.length).toBeGreaterThanOrEqual(30);
    await platform.start();
    for (const enterprise of roster.slice(0, 30)) {
      const created = await intake().post('/v1/enterprises', {
        as: principals.admin,
        body: enterpriseBody(enterprise),
      });
      expect(created.status).toBe(201);
    }
  });

  afterAll(() => platform.stop());

  async function file(uscc: string, body: object) {
    const response = await intake().post<Receipt>('/v1/filings', { as: principals.enterprise(uscc), body });
    expect(response.status).toBe(202);
    return response.body;
  }

  async function settled(filingId: string, uscc: string): Promise<FilingView> {
    return eventually(async () => {
      const view = await intake().get<FilingView>(`/v1/filings/${filingId}`, { as: principals.enterprise(uscc) });
      return ['accepted', 'needs-explanation', 'rejected'].includes(view.body.status) ? view.body : undefined;
    });
  }

  it('takes a filing from intake through validation into the park’s monthly aggregate', async () => {
    const enterprise = roster[0]!;
    const receipt = await file(enterprise.uscc, {
      formId: 'torch-monthly',
      period: '2026-09',
      values: clean('1234.567'),
    });
    expect((await settled(receipt.filingId, enterprise.uscc)).status).toBe('accepted');
    await eventually(async () => {
      const response = await aggregation().get<{ rows: { member: string; value: string }[] }>(
        '/v1/aggregates?formId=torch-monthly&period=2026-09&indicator=qc05_0&groupBy=park',
        { as: principals.commission },
      );
      return response.body.rows?.find((row) => row.member === 'PT')?.value === '1234.567';
    });
  });

  it('turns the park’s month into a Torch CSV file on request, with the filing in it', async () => {
    const enterprise = roster[0]!;
    const exporter = platform.http('torch-export');
    const job = await exporter.post<ExportView>('/v1/exports', {
      as: principals.park('PT'),
      body: { formId: 'torch-monthly', period: '2026-09', park: 'PT', format: 'csv' },
    });
    expect(job.status).toBe(202);
    // torch-export learns of the accepted revision from Kafka too; export once it has it.
    const done = await eventually(async () => {
      const view = await exporter.get<{ state: string; rowsWritten?: number }>(`/v1/exports/${job.body.id}`, {
        as: principals.park('PT'),
      });
      return view.body.state === 'completed' ? view.body : undefined;
    });
    expect(done.state).toBe('completed');
    const bytes = await eventually(async () => {
      const again = await exporter.post<ExportView>('/v1/exports', {
        as: principals.park('PT'),
        body: { formId: 'torch-monthly', period: '2026-09', park: 'PT', format: 'csv' },
      });
      await eventually(
        async () =>
          (await exporter.get<{ state: string }>(`/v1/exports/${again.body.id}`, { as: principals.park('PT') })).body
            .state === 'completed',
      );
      const file = await fetch(`${platform.url('torch-export')}/v1/exports/${again.body.id}/file`, {
        headers: { authorization: await bearer(principals.park('PT')) },
      });
      const body = Buffer.from(await file.arrayBuffer());
      return body.toString('utf8').includes(enterprise.uscc) ? body : undefined;
    });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM, so Excel reads the Chinese headers
    expect(bytes.toString('utf8')).toContain('1234.567');
  });

  it('gives the same findings from the dry run and from the Kafka path', async () => {
    const enterprise = roster[1]!;
    const body = {
      formId: 'torch-monthly',
      period: '2026-09',
      values: { qc05_0: '100', qc55: '200', qc06: '300', qd01: '5', qc13: '-1', qj20: '500', qc11: '150' },
    };
    const dryRun = await intake().post<DryRun>('/v1/filings:validate', {
      as: principals.enterprise(enterprise.uscc),
      body,
    });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.findings.length).toBeGreaterThanOrEqual(5);
    const receipt = await file(enterprise.uscc, body);
    const view = await settled(receipt.filingId, enterprise.uscc);
    expect(view.current.findings).toEqual(dryRun.body.findings);
    expect(view.status).toBe(dryRun.body.outcome);
  });

  it('walks explain-and-resubmit and an amendment that supersedes', async () => {
    const enterprise = roster[2]!;
    const august = await file(enterprise.uscc, { formId: 'torch-monthly', period: '2026-08', values: clean('1000') });
    expect((await settled(august.filingId, enterprise.uscc)).status).toBe('accepted');

    // September's year-to-date revenue below August's: a warning that needs an explanation.
    const september = await file(enterprise.uscc, { formId: 'torch-monthly', period: '2026-09', values: clean('900') });
    const warned = await settled(september.filingId, enterprise.uscc);
    expect(warned.status).toBe('needs-explanation');
    expect(warned.current.findings.map((f) => f.ruleCode)).toEqual(['TM-YTD-001', 'TM-YTD-001']); // revenue and main-business revenue

    const boilerplate = await intake().post(`/v1/filings/${september.filingId}/explanations`, {
      as: principals.enterprise(enterprise.uscc),
      body: { explanations: [{ ruleCode: 'TM-YTD-001', reasonCode: 'RESTATEMENT', text: '核实无误' }] },
    });
    expect(boilerplate.status).toBe(422);
    const explained = await intake().post(`/v1/filings/${september.filingId}/explanations`, {
      as: principals.enterprise(enterprise.uscc),
      // Without an indicator, the explanation answers the rule's findings on every indicator.
      body: {
        explanations: [
          {
            ruleCode: 'TM-YTD-001',
            reasonCode: 'RESTATEMENT',
            text: '8月多确认一笔跨期收入100千元，9月按审计意见冲回',
          },
        ],
      },
    });
    expect(explained.status).toBe(202);
    await eventually(
      async () =>
        (
          await intake().get<FilingView>(`/v1/filings/${september.filingId}`, {
            as: principals.enterprise(enterprise.uscc),
          })
        ).body.status === 'accepted',
    );

    // An amendment is a new revision: it supersedes, and the aggregate counts it instead of the old one.
    const amended = await file(enterprise.uscc, { formId: 'torch-monthly', period: '2026-09', values: clean('1100') });
    expect(amended).toMatchObject({ filingId: september.filingId, revision: 2 });
    expect((await settled(september.filingId, enterprise.uscc)).currentRevision).toBe(2);

    // A reviewer returns it with a comment; the figures stay as filed until the enterprise amends.
    const returned = await intake().post<FilingView>(`/v1/filings/${september.filingId}/return`, {
      as: principals.park('PT'),
      body: { comment: '研发费用与上月口径不一致，请核对后重报' },
    });
    expect(returned.status).toBe(200);
    expect(returned.body.status).toBe('returned');
    const fixed = await file(enterprise.uscc, { formId: 'torch-monthly', period: '2026-09', values: clean('1150') });
    expect(fixed.revision).toBe(3);
    expect((await settled(september.filingId, enterprise.uscc)).status).toBe('accepted');
    await eventually(async () => {
      const response = await aggregation().get<{ filings: { uscc: string; revision: number; value: string }[] }>(
        '/v1/aggregates/provenance?formId=torch-monthly&period=2026-09&groupBy=park&member=PT&indicator=qc05_0',
        { as: principals.commission },
      );
      const mine = response.body.filings?.find((f) => f.uscc === enterprise.uscc);
      return mine?.revision === 3 && mine.value === '1150';
    });
  });

  it('attributes an enterprise that moves from 普陀 to 长宁 on 1 July to 普陀 until June and to 长宁 from July', async () => {
    const enterprise = roster[29]!;
    const months = ['2026-05', '2026-06', '2026-07', '2026-08'];
    for (const [index, period] of months.entries()) {
      const receipt = await file(enterprise.uscc, {
        formId: 'torch-monthly',
        period,
        values: clean(String(100 * (index + 5))),
      });
      expect((await settled(receipt.filingId, enterprise.uscc)).status).toBe('accepted');
    }
    const moved = await intake().post(`/v1/enterprises/${enterprise.uscc}/memberships`, {
      as: principals.admin,
      body: { parkCode: 'CN', subParkCode: 'CN-E', validFrom: '2026-07-01' },
    });
    expect(moved.status).toBe(200);

    const contributors = async (period: string, park: string) => {
      const response = await aggregation().get<{ filings: { uscc: string }[] }>(
        `/v1/aggregates/provenance?formId=torch-monthly&period=${period}&groupBy=park&member=${park}&indicator=qc05_0`,
        { as: principals.commission },
      );
      return (response.body.filings ?? []).map((f) => f.uscc);
    };
    // The move arrives through registry.enterprise-changed.v1 and re-rolls the affected months of both parks.
    await eventually(
      async () =>
        (await contributors('2026-07', 'CN')).includes(enterprise.uscc) &&
        !(await contributors('2026-07', 'PT')).includes(enterprise.uscc),
    );
    for (const period of ['2026-05', '2026-06']) {
      expect(await contributors(period, 'PT')).toContain(enterprise.uscc);
      expect(await contributors(period, 'CN')).not.toContain(enterprise.uscc);
    }
    expect(await contributors('2026-08', 'CN')).toContain(enterprise.uscc);
    expect(await contributors('2026-08', 'PT')).not.toContain(enterprise.uscc);
  });

  it('validates and aggregates every filing exactly once when the validation service is killed mid-flow and restarted', async () => {
    const filers = roster.slice(3, 28); // roster[29] moves to 长宁 in another test
    const receipts: { filingId: string; uscc: string }[] = [];
    const sending = (async () => {
      for (const [index, enterprise] of filers.entries()) {
        const receipt = await file(enterprise.uscc, {
          formId: 'torch-monthly',
          period: '2026-08',
          values: clean(String(1000 + index)),
        });
        receipts.push({ filingId: receipt.filingId, uscc: enterprise.uscc });
      }
    })();
    await eventually(() => receipts.length >= 8, 30_000, 20);
    await platform.kill('validation');
    await sending;
    await platform.startService('validation');

    for (const receipt of receipts) expect((await settled(receipt.filingId, receipt.uscc)).status).toBe('accepted');
    const verdicts = await sqlQuery<{ filing_id: string; n: string }>(
      `SELECT filing_id, count(*) AS n FROM validation_${platform.namespace}.verdict WHERE filing_id = ANY($1::uuid[]) GROUP BY filing_id`,
      [receipts.map((r) => r.filingId)],
    );
    expect(verdicts).toHaveLength(receipts.length);
    expect(verdicts.every((row) => Number(row.n) === 1)).toBe(true);

    const expected = filers.reduce((sum, _, index) => sum + 1000 + index, 0) + 1000; // + the enterprise of the lifecycle test
    await eventually(async () => {
      const response = await aggregation().get<{ rows: { member: string; value: string }[] }>(
        '/v1/aggregates?formId=torch-monthly&period=2026-08&indicator=qc05_0&groupBy=park',
        { as: principals.commission },
      );
      return response.body.rows?.find((row) => row.member === 'PT')?.value === String(expected);
    }, 60_000);
    const facts = await sqlQuery<{ n: string; revisions: string }>(
      `SELECT count(DISTINCT uscc) AS n, count(DISTINCT (uscc, revision)) AS revisions FROM aggregation_${platform.namespace}.fact
        WHERE form_id = 'torch-monthly' AND period = '2026-08' AND uscc = ANY($1::text[])`,
      [receipts.map((r) => r.uscc)],
    );
    expect(facts[0]).toEqual({ n: String(receipts.length), revisions: String(receipts.length) });
  });
});
