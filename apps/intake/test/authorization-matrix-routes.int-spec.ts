import { intakeRoutes } from '@huoju/contracts/http';
import { RevocationList, type Principal, type Role } from '@huoju/platform';
import {
  badTokenCells,
  enterpriseBody,
  generateRoster,
  inScopeOn,
  principals,
  runMatrix,
  scopeCells,
  type GeneratedEnterprise,
  type MatrixRequest,
  type ScopeCase,
} from '@huoju/testing';
import { startTestIntake, type RunningIntake } from './intake.harness';

/**
 * Every bearer route of intake's contract × every bad token, and × every role in its own, a foreign and
 * a moved-away scope (an enterprise that left the caller's park and street on 1 September 2026: its
 * September filing and today's roster entry are no longer the caller's). Writes in the caller's own
 * scope use dates far ahead, so one cell never changes what another sees today.
 */
const roster = generateRoster({ size: 400, seed: 77 }).filter(
  (e) => inScopeOn(e, 'torch-monthly', '2026-09-30') && !/^[BCD]/.test(e.industryCode),
);
const mine = roster.find((e) => e.parkCode === 'PT')!;
const theirs = roster.find((e) => e.parkCode === 'HK' && e.streetCode !== mine.streetCode)!;
const moved = { ...roster.find((e) => e.parkCode === 'PT' && e !== mine)!, streetCode: mine.streetCode };
const spares: Record<'PT' | 'HK', GeneratedEnterprise> = {
  PT: roster.filter((e) => e.parkCode === 'PT' && e !== mine && e.uscc !== moved.uscc)[0]!,
  HK: roster.filter((e) => e.parkCode === 'HK' && e !== theirs)[0]!,
};

const callers: Record<Role, Principal> = {
  enterprise: principals.enterprise(mine.uscc),
  street: principals.street(mine.streetCode),
  park: principals.park('PT'),
  commission: principals.commission,
  admin: principals.admin,
};
const target = (scope: ScopeCase) => (scope === 'own' ? mine : scope === 'foreign' ? theirs : moved);
const filingBody = (e: GeneratedEnterprise) => ({
  formId: 'torch-monthly',
  period: '2026-09',
  values: { qc05_0: '100', qc55: '90', qd01: '5' },
  uscc: e.uscc,
});

describe('intake authorization matrix over the contract', () => {
  let intake: RunningIntake;
  const filings: Record<ScopeCase, string> = { own: '', foreign: '', moved: '' };
  let apiKeyId = '';

  beforeAll(async () => {
    intake = await startTestIntake();
    const admin = principals.admin;
    for (const e of [mine, theirs, moved])
      expect((await intake.http.post('/v1/enterprises', { as: admin, body: enterpriseBody(e) })).status).toBe(201);
    const move = await intake.http.post(`/v1/enterprises/${moved.uscc}/memberships`, {
      as: admin,
      body: { parkCode: 'HK', subParkCode: theirs.subParkCode, validFrom: '2026-09-01' },
    });
    expect(move.status).toBe(200);
    const street = await intake.http.post(`/v1/enterprises/${moved.uscc}/streets`, {
      as: admin,
      body: { streetCode: theirs.streetCode, validFrom: '2026-09-01' },
    });
    expect(street.status).toBe(200);
    for (const scope of ['own', 'foreign', 'moved'] as const) {
      const e = target(scope);
      const filed = await intake.http.post<{ filingId: string }>('/v1/filings', {
        as: principals.enterprise(e.uscc),
        body: filingBody(e),
      });
      expect(filed.status).toBe(202);
      filings[scope] = filed.body.filingId;
    }
    for (const [username, streetCode] of [
      ['matrix-own', mine.streetCode],
      ['matrix-foreign', theirs.streetCode],
    ])
      await intake.http.post('/v1/accounts', {
        as: admin,
        body: {
          username,
          displayName: username,
          password: 'Zq7-Kestrel-Lantern-91',
          role: 'street',
          scope: [streetCode],
        },
      });
    const key = await intake.http.post<{ id: string }>('/v1/api-keys', {
      as: admin,
      body: { role: 'commission', scope: [], label: 'matrix' },
    });
    apiKeyId = key.body.id;
    await intake.app.get(RevocationList).revoke({ subject: 'matrix-revoked' });
  });

  afterAll(() => intake.stop());

  const ownOnly =
    (request: () => MatrixRequest) =>
    (_: Role, scope: ScopeCase): MatrixRequest | undefined =>
      scope === 'own' ? request() : undefined;
  const enterprise =
    (suffix: string, body?: unknown) =>
    (_: Role, scope: ScopeCase): MatrixRequest => ({
      path: `/v1/enterprises/${target(scope).uscc}${suffix}`,
      ...(body ? { body } : {}),
    });
  const filing =
    (suffix: string, body?: unknown) =>
    (_: Role, scope: ScopeCase): MatrixRequest => ({
      path: `/v1/filings/${filings[scope]}${suffix}`,
      ...(body ? { body } : {}),
    });

  const cases = {
    signIn: () => undefined,
    refreshSession: () => undefined,
    signOut: () => undefined,
    issueToken: () => undefined,
    listForms: () => undefined,
    getForm: () => undefined,
    getFormRules: () => undefined,
    getMe: ownOnly(() => ({ path: '/v1/auth/me' })),
    listAccounts: ownOnly(() => ({ path: '/v1/accounts' })),
    createAccount: (_: Role, scope: ScopeCase) =>
      scope === 'moved'
        ? undefined
        : {
            path: '/v1/accounts',
            body: {
              username: `matrix-new-${scope}`,
              displayName: 'Matrix',
              password: 'Zq7-Kestrel-Lantern-91',
              role: 'street',
              scope: [target(scope).streetCode],
            },
          },
    updateAccount: (_: Role, scope: ScopeCase) =>
      scope === 'moved' ? undefined : { path: `/v1/accounts/matrix-${scope}`, body: { displayName: 'Matrix' } },
    listAudit: ownOnly(() => ({ path: '/v1/audit' })),
    createApiKey: ownOnly(() => ({ path: '/v1/api-keys', body: { role: 'commission', scope: [], label: 'matrix' } })),
    listApiKeys: ownOnly(() => ({ path: '/v1/api-keys' })),
    revokeApiKey: ownOnly(() => ({ path: `/v1/api-keys/${apiKeyId}/revoke` })),
    submitFiling: (_: Role, scope: ScopeCase) => ({ path: '/v1/filings', body: filingBody(target(scope)) }),
    validateFiling: (_: Role, scope: ScopeCase) => ({ path: '/v1/filings:validate', body: filingBody(target(scope)) }),
    listFilings: (role: Role, scope: ScopeCase) =>
      role === 'commission' || role === 'admin' || scope !== 'own'
        ? { path: `/v1/filings?uscc=${target(scope).uscc}` }
        : { path: '/v1/filings' },
    getFiling: filing(''),
    getFilingRevision: filing('/revisions/1'),
    explainFiling: filing('/explanations', { explanations: [] }),
    returnFiling: filing('/return', { comment: '请核对研发费用口径' }),
    createEnterprise: (_: Role, scope: ScopeCase) =>
      scope === 'moved'
        ? undefined
        : { path: '/v1/enterprises', body: enterpriseBody(spares[scope === 'own' ? 'PT' : 'HK']) },
    listEnterprises: (role: Role, scope: ScopeCase) => {
      if (role === 'street')
        return { path: `/v1/enterprises?street=${scope === 'foreign' ? theirs.streetCode : mine.streetCode}` };
      if (role === 'enterprise') return scope === 'own' ? { path: '/v1/enterprises' } : undefined;
      return { path: `/v1/enterprises?park=${scope === 'foreign' ? 'HK' : 'PT'}&pageSize=500` };
    },
    getEnterprise: enterprise(''),
    getEnterpriseHistory: enterprise('/history'),
    updateEnterprise: enterprise('', { industryTags: ['AI'] }),
    moveEnterprise: (role: Role, scope: ScopeCase) =>
      enterprise('/memberships', { parkCode: 'PT', subParkCode: mine.subParkCode, validFrom: '2099-01-01' })(
        role,
        scope,
      ),
    closeMembership: enterprise('/memberships/close', { validTo: '2099-12-31' }),
    changeStreet: enterprise('/streets', { streetCode: mine.streetCode, validFrom: '2099-01-01' }),
    addQualification: enterprise('/qualifications', { tag: 'SRDI', validFrom: '2099-01-01' }),
    setScope: enterprise('/scope', { formId: 'torch-annual', validFrom: '2099-01-01' }),
    closeScope: enterprise('/scope/close', { formId: 'torch-monthly', validTo: '2099-12-31' }),
    importRoster: ownOnly(() => ({
      path: '/v1/enterprises:import?dryRun=true',
      raw: { text: 'uscc\n', contentType: 'text/csv' },
    })),
    getRosterTemplate: ownOnly(() => ({ path: '/v1/enterprises:import/template' })),
  };

  it('refuses every bad token on every bearer route with 401', async () => {
    const cells = await badTokenCells(intakeRoutes, { ...principals.commission, subject: 'matrix' }, 'matrix-revoked');
    expect(cells.length).toBeGreaterThanOrEqual(8 * 20);
    expect(await runMatrix(intake.url, cells)).toEqual([]);
  });

  it('answers every role in its own, a foreign and a moved-away scope without another’s data', async () => {
    const cells = scopeCells({ table: intakeRoutes, cases, callers, foreignMarkers: [theirs.uscc, moved.uscc] });
    expect(cells.length).toBeGreaterThan(250);
    expect(await runMatrix(intake.url, cells, { concurrency: 4 })).toEqual([]);
  });

  it('still lets the moved-away enterprise’s new park read it, so the leak check above can fail', async () => {
    const read = await intake.http.get<{ uscc: string }>(`/v1/filings/${filings.moved}`, { as: principals.park('HK') });
    expect(read.status).toBe(200);
    expect(read.body.uscc).toBe(moved.uscc);
  });
});
