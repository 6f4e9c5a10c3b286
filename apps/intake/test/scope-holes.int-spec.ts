import { enterpriseBody, generateRoster, inScopeOn, principals } from '@huoju/testing';
import { startTestIntake, type RunningIntake } from './intake.harness';

// Service-sector enterprises filing monthly in September 2026 (the test clock has August and September open).
const roster = generateRoster({ size: 400, seed: 12 }).filter(
  (e) => inScopeOn(e, 'torch-monthly', '2026-09-30') && !/^[BCD]/.test(e.industryCode),
);
const mover = roster.find((e) => e.parkCode === 'PT')!;
const neighbour = roster.find((e) => e.parkCode === 'PT' && e !== mover)!;
const foreign = roster.find((e) => e.parkCode === 'HK' && e.streetCode !== mover.streetCode)!;
const values = { qc05_0: '100', qc55: '90', qd01: '5' };

describe('scope holes: past membership and foreign scopes in queries', () => {
  let intake: RunningIntake;
  const filings: Record<string, string> = {};

  beforeAll(async () => {
    intake = await startTestIntake();
    for (const e of [mover, neighbour, foreign])
      expect(
        (await intake.http.post('/v1/enterprises', { as: principals.admin, body: enterpriseBody(e) })).status,
      ).toBe(201);
    for (const period of ['2026-08', '2026-09']) {
      const filed = await intake.http.post<{ filingId: string }>('/v1/filings', {
        as: principals.enterprise(mover.uscc),
        body: { formId: 'torch-monthly', period, values },
      });
      expect(filed.status).toBe(202);
      filings[period] = filed.body.filingId;
    }
    // The enterprise leaves 普陀 for 长宁 from 1 September.
    const moved = await intake.http.post(`/v1/enterprises/${mover.uscc}/memberships`, {
      as: principals.admin,
      body: { parkCode: 'CN', subParkCode: 'CN-E', validFrom: '2026-09-01' },
    });
    expect(moved.status).toBe(200);
  }, 120_000);

  afterAll(() => intake?.stop());

  it('hole 8: the park it left reads and returns only its past filings, not the current one', async () => {
    const pt = principals.park('PT');
    expect((await intake.http.get(`/v1/filings/${filings['2026-08']}`, { as: pt })).status).toBe(200);
    expect((await intake.http.get(`/v1/filings/${filings['2026-09']}`, { as: pt })).status).toBe(403);
    const returned = await intake.http.post(`/v1/filings/${filings['2026-09']}/return`, {
      as: pt,
      body: { comment: '请核实营业收入' },
    });
    expect(returned.status).toBe(403);
    const listed = await intake.http.get<{ items: { id: string }[] }>(`/v1/filings?uscc=${mover.uscc}`, { as: pt });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item) => item.id)).toEqual([filings['2026-08']]);
    expect((await intake.http.get(`/v1/filings/${filings['2026-09']}`, { as: principals.park('CN') })).status).toBe(
      200,
    );
    expect((await intake.http.get(`/v1/filings/${filings['2026-08']}`, { as: principals.park('CN') })).status).toBe(
      403,
    );
  });

  it('hole 8: the roster is read by today’s membership', async () => {
    expect((await intake.http.get(`/v1/enterprises/${mover.uscc}`, { as: principals.park('PT') })).status).toBe(403);
    expect((await intake.http.get(`/v1/enterprises/${mover.uscc}`, { as: principals.park('CN') })).status).toBe(200);
  });

  it('hole 9: a foreign scope in a query is refused with 403 problem+json, not answered empty', async () => {
    const cases: [string, ReturnType<typeof principals.park>][] = [
      [`/v1/filings?uscc=${foreign.uscc}`, principals.enterprise(neighbour.uscc)],
      [`/v1/filings?uscc=${foreign.uscc}`, principals.park('PT')],
      [`/v1/filings?uscc=${foreign.uscc}`, principals.street(neighbour.streetCode)],
      ['/v1/enterprises?park=HK', principals.park('PT')],
      [`/v1/enterprises?street=${foreign.streetCode}`, principals.street(neighbour.streetCode)],
    ];
    for (const [path, as] of cases) {
      const response = await intake.http.get<{ code: string }>(path, { as });
      expect({ path, role: as.role, status: response.status }).toEqual({ path, role: as.role, status: 403 });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.code).toBe('AUTH.FORBIDDEN');
    }
    // Its own scope in the same queries still answers.
    expect((await intake.http.get('/v1/enterprises?park=PT', { as: principals.park('PT') })).status).toBe(200);
    expect(
      (await intake.http.get(`/v1/filings?uscc=${neighbour.uscc}`, { as: principals.enterprise(neighbour.uscc) }))
        .status,
    ).toBe(200);
  });

  it('records the roster change and the refused return in the audit log only when they happened', async () => {
    const log = await intake.http.get<{ items: { action: string; target: string }[] }>('/v1/audit?pageSize=200', {
      as: principals.admin,
    });
    expect(log.body.items.map((item) => `${item.action} ${item.target}`)).toContain(`roster.change ${mover.uscc}`);
    expect(log.body.items.some((item) => item.action === 'filing.return')).toBe(false);
  });

  it('hole 2: API-key scopes are checked against the reference data', async () => {
    const bad: [string, string][] = [
      ['enterprise', mover.uscc.slice(0, 17)],
      ['enterprise', "' OR '1'='1"],
      ['street', 'x'],
      ['park', 'NOPE'],
    ];
    for (const [role, entry] of bad) {
      const response = await intake.http.post<{ errors: { pointer: string }[] }>('/v1/api-keys', {
        as: principals.admin,
        body: { role, scope: [entry], label: 'scope check' },
      });
      expect({ entry, status: response.status }).toEqual({ entry, status: 422 });
      expect(response.body.errors.map((error) => error.pointer)).toEqual(['/scope/0']);
    }
    const good = await intake.http.post('/v1/api-keys', {
      as: principals.admin,
      body: { role: 'park', scope: ['PT'], label: 'scope check' },
    });
    expect(good.status).toBe(201);
  });
});
