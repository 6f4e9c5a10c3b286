import type { FilingValidated } from '@huoju/contracts';
import { aggregationRoutes } from '@huoju/contracts/http';
import { RevocationList, type Principal, type Role } from '@huoju/platform';
import {
  badTokenCells,
  enterpriseChanged,
  eventually,
  filingValidated,
  generateRoster,
  inScopeOn,
  principals,
  publishEvents,
  runMatrix,
  scopeCells,
  testKafka,
  type MatrixRequest,
  type ScopeCase,
} from '@huoju/testing';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

const kafka = testKafka('aggregation-matrix');
const roster = generateRoster({ size: 400, seed: 31 }).filter(
  (e) => inScopeOn(e, 'torch-monthly', '2026-01-01') && inScopeOn(e, 'torch-monthly', '2026-12-31'),
);
const mine = roster.find((e) => e.parkCode === 'PT')!;
const theirs = roster.find((e) => e.parkCode === 'HK' && e.streetCode !== mine.streetCode)!;
/** In PT and on mine's street until June 2026, then in HK on theirs' street: the "moved away" enterprise. */
const moved = roster.find((e) => e.parkCode === 'PT' && e !== mine)!;

const callers: Record<Role, Principal> = {
  enterprise: principals.enterprise(mine.uscc),
  street: principals.street(mine.streetCode),
  park: principals.park('PT'),
  commission: principals.commission,
  admin: principals.admin,
};

function accepted(uscc: string): FilingValidated {
  return filingValidated(uscc, '2026-08', { qc05_0: '100', qd01: '5' }, { receivedAt: '2026-09-10T02:00:00.000Z' });
}

/** The code a caller names: its own, another's, or its own again after an enterprise moved away from it. */
function code(role: Role, scope: ScopeCase): { kind: 'street' | 'park'; code: string } {
  if (role === 'street') return { kind: 'street', code: scope === 'foreign' ? theirs.streetCode : mine.streetCode };
  return { kind: 'park', code: scope === 'foreign' ? 'HK' : 'PT' };
}
const q = (role: Role, scope: ScopeCase) => {
  const named = code(role, scope);
  return `${named.kind}=${named.code}`;
};

describe('aggregation authorization matrix', () => {
  let aggregation: RunningAggregation;
  const rollups: Record<string, string> = {};

  beforeAll(async () => {
    aggregation = await startTestAggregation();
    await publishEvents(kafka, aggregation.namespace, 'registry.enterprise-changed.v1', [
      { key: mine.uscc, payload: enterpriseChanged(mine) },
      { key: theirs.uscc, payload: enterpriseChanged(theirs) },
      {
        key: moved.uscc,
        payload: {
          ...enterpriseChanged(moved),
          memberships: [
            {
              parkCode: 'PT',
              subParkCode: moved.subParkCode,
              carrierCode: null,
              validFrom: '2025-01-01',
              validTo: '2026-06-30',
            },
            {
              parkCode: 'HK',
              subParkCode: theirs.subParkCode,
              carrierCode: null,
              validFrom: '2026-07-01',
              validTo: null,
            },
          ],
          streets: [
            { streetCode: mine.streetCode, validFrom: '2025-01-01', validTo: '2026-06-30' },
            { streetCode: theirs.streetCode, validFrom: '2026-07-01', validTo: null },
          ],
        },
      },
    ]);
    await publishEvents(
      kafka,
      aggregation.namespace,
      'filing.validated.v1',
      [mine, theirs, moved].map((e) => ({ key: e.uscc, payload: accepted(e.uscc) })),
    );
    // Every figure is in: the zone row counts the three enterprises.
    await eventually(async () => {
      const zone = await aggregation.http.get<{ rows: { enterprises: number }[] }>(
        '/v1/aggregates?formId=torch-monthly&period=2026-08&groupBy=zone&indicator=qc05_0',
        { as: principals.commission },
      );
      return zone.body.rows?.[0]?.enterprises === 3;
    });
    for (const park of ['PT', 'HK']) {
      const response = await aggregation.http.post<{ jobs: { id: string }[] }>('/v1/rollups', {
        as: principals.commission,
        body: { park, period: '2026-08' },
      });
      rollups[park] = response.body.jobs[0]!.id;
    }
    await aggregation.app.get(RevocationList).revoke({ subject: 'matrix-revoked' });
  });

  afterAll(() => aggregation.stop());

  const figures = '/v1/aggregates?formId=torch-monthly&period=2026-08&indicator=qc05_0';
  const webhook = (role: Role, scope: ScopeCase): MatrixRequest => {
    const named = code(role, scope);
    return { path: `/v1/compliance/webhooks/${named.kind}/${named.code}` };
  };
  const cases = {
    queryAggregates: (role: Role, scope: ScopeCase) =>
      role === 'street'
        ? { path: `${figures}&groupBy=street${scope === 'foreign' ? '&park=HK' : ''}` }
        : { path: `${figures}&groupBy=park&${q(role, scope)}` },
    getProvenance: (role: Role, scope: ScopeCase) => {
      const named = code(role, scope);
      return { path: `/v1/aggregates/provenance?${figures.split('?')[1]}&groupBy=${named.kind}&member=${named.code}` };
    },
    requestRollup: (_: Role, scope: ScopeCase) => ({
      path: '/v1/rollups',
      body: { park: scope === 'foreign' ? 'HK' : 'PT', period: '2026-08' },
    }),
    getRollup: (_: Role, scope: ScopeCase) =>
      scope === 'moved' ? undefined : { path: `/v1/rollups/${rollups[scope === 'foreign' ? 'HK' : 'PT']}` },
    listTargets: (_: Role, scope: ScopeCase) => ({ path: `/v1/targets?park=${scope === 'foreign' ? 'HK' : 'PT'}` }),
    getCompliance: (role: Role, scope: ScopeCase) => ({
      path: `/v1/compliance?form=torch-monthly&period=2026-08&${q(role, scope)}`,
    }),
    getComplianceTrend: (role: Role, scope: ScopeCase) => ({
      path: `/v1/compliance/trend?form=torch-monthly&periods=3&${q(role, scope)}`,
    }),
    getEvaluation: (_: Role, scope: ScopeCase) =>
      scope === 'own' ? { path: '/v1/compliance/evaluation?form=torch-monthly&period=2026-08' } : undefined,
    setWebhook: (role: Role, scope: ScopeCase) => ({
      ...webhook(role, scope),
      body: { url: 'https://hooks.example.org/huoju', secret: 's'.repeat(32) },
    }),
    getWebhook: webhook,
    listWebhookDeliveries: (role: Role, scope: ScopeCase) => ({
      path: `${webhook(role, scope).path}/deliveries`,
    }),
  };

  it('refuses every bad token on every route with 401', async () => {
    const cells = await badTokenCells(
      aggregationRoutes,
      { ...principals.commission, subject: 'matrix' },
      'matrix-revoked',
    );
    expect(cells.length).toBeGreaterThanOrEqual(8 * Object.keys(aggregationRoutes).length);
    expect(await runMatrix(aggregation.url, cells)).toEqual([]);
  });

  it('answers every role in its own, a foreign and a moved-away scope without another’s data', async () => {
    const cells = scopeCells({
      table: aggregationRoutes,
      cases,
      callers,
      foreignMarkers: [theirs.uscc, moved.uscc, theirs.streetCode, '"HK"'],
    });
    expect(cells.length).toBeGreaterThan(100);
    expect(await runMatrix(aggregation.url, cells)).toEqual([]);
  });

  it('shows the moved-away enterprise where it belongs now, so the leak check above can fail', async () => {
    const provenance = await aggregation.http.get<{ filings: { uscc: string }[] }>(
      `/v1/aggregates/provenance?${figures.split('?')[1]}&groupBy=park&member=HK`,
      { as: principals.park('HK') },
    );
    expect(provenance.body.filings.map((f) => f.uscc).sort()).toEqual([theirs.uscc, moved.uscc].sort());
  });
});
