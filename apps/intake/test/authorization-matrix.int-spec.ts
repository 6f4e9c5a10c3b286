import type { Principal } from '@huoju/platform';
import { enterpriseBody, generateRoster, inScopeOn, principals, type GeneratedEnterprise } from '@huoju/testing';
import { startTestIntake, type RunningIntake } from './intake.harness';

/**
 * Every role × every intake endpoint, in its own scope and in a foreign one. "allow" means the request
 * gets past authorization (any status but 401/403); "deny" means 403; anonymous callers get 401.
 */
type Caller =
  | 'enterprise'
  | 'otherEnterprise'
  | 'street'
  | 'otherStreet'
  | 'park'
  | 'otherPark'
  | 'commission'
  | 'admin';
const CALLERS: Caller[] = [
  'enterprise',
  'otherEnterprise',
  'street',
  'otherStreet',
  'park',
  'otherPark',
  'commission',
  'admin',
];

const roster = generateRoster({ size: 400, seed: 99 }).filter(
  (e) => inScopeOn(e, 'torch-monthly', '2026-09-30') && !/^[BCD]/.test(e.industryCode),
);
const mine = roster.find((e) => e.parkCode === 'PT')!;
const theirs = roster.find((e) => e.parkCode === 'HK' && e.streetCode !== mine.streetCode)!;
const spare = roster.find((e) => e.parkCode === 'PT' && e !== mine)!;

function who(caller: Caller): Principal {
  switch (caller) {
    case 'enterprise':
      return principals.enterprise(mine.uscc);
    case 'otherEnterprise':
      return principals.enterprise(theirs.uscc);
    case 'street':
      return principals.street(mine.streetCode);
    case 'otherStreet':
      return principals.street(theirs.streetCode);
    case 'park':
      return principals.park(mine.parkCode);
    case 'otherPark':
      return principals.park(theirs.parkCode);
    case 'commission':
      return principals.commission;
    case 'admin':
      return principals.admin;
  }
}

interface Endpoint {
  readonly name: string;
  readonly method: 'get' | 'post' | 'patch';
  readonly path: () => string;
  readonly body?: () => unknown;
  readonly allow: readonly Caller[];
}

const filingBody = (e: GeneratedEnterprise) => ({
  formId: 'torch-monthly',
  period: '2026-09',
  values: { qc05_0: '100', qc55: '90', qd01: '5' },
  uscc: e.uscc,
});

describe('intake authorization matrix', () => {
  let intake: RunningIntake;
  let filingId = '';

  beforeAll(async () => {
    intake = await startTestIntake();
    for (const e of [mine, theirs, spare])
      expect(
        (await intake.http.post('/v1/enterprises', { as: principals.admin, body: enterpriseBody(e) })).status,
      ).toBe(201);
    const filed = await intake.http.post<{ filingId: string }>('/v1/filings', {
      as: principals.enterprise(mine.uscc),
      body: filingBody(mine),
    });
    filingId = filed.body.filingId;
  });

  afterAll(() => intake.stop());

  const everyone = CALLERS;
  const endpoints: Endpoint[] = [
    { name: 'list API keys', method: 'get', path: () => '/v1/api-keys', allow: ['admin'] },
    {
      name: 'create an API key',
      method: 'post',
      path: () => '/v1/api-keys',
      body: () => ({ role: 'enterprise', scope: [mine.uscc], label: 'matrix' }),
      allow: ['admin'],
    },
    {
      name: 'register an enterprise',
      method: 'post',
      path: () => '/v1/enterprises',
      body: () => enterpriseBody(spare),
      allow: ['park', 'admin'],
    },
    { name: 'list the roster', method: 'get', path: () => '/v1/enterprises', allow: everyone },
    {
      name: 'read an enterprise',
      method: 'get',
      path: () => `/v1/enterprises/${mine.uscc}`,
      allow: ['enterprise', 'street', 'park', 'commission', 'admin'],
    },
    {
      name: 'read an enterprise’s history',
      method: 'get',
      path: () => `/v1/enterprises/${mine.uscc}/history`,
      allow: ['enterprise', 'street', 'park', 'commission', 'admin'],
    },
    {
      name: 'change an enterprise',
      method: 'patch',
      path: () => `/v1/enterprises/${mine.uscc}`,
      body: () => ({ industryTags: ['AI'] }),
      allow: ['park', 'admin'],
    },
    {
      name: 'change its street',
      method: 'post',
      path: () => `/v1/enterprises/${mine.uscc}/streets`,
      body: () => ({ streetCode: mine.streetCode, validFrom: '2026-01-01' }),
      allow: ['park', 'admin'],
    },
    {
      name: 'add a qualification',
      method: 'post',
      path: () => `/v1/enterprises/${mine.uscc}/qualifications`,
      body: () => ({ tag: 'SRDI', validFrom: '2026-01-01' }),
      allow: ['park', 'admin'],
    },
    {
      name: 'set its survey scope',
      method: 'post',
      path: () => `/v1/enterprises/${mine.uscc}/scope`,
      body: () => ({ formId: 'torch-annual', validFrom: '2025-01-01' }),
      allow: ['park', 'admin'],
    },
    // Any park team may import; which rows it may import (its own park's) is tested with the import.
    {
      name: 'import a roster file',
      method: 'post',
      path: () => '/v1/enterprises:import?dryRun=true',
      body: () => 'uscc\n',
      allow: ['park', 'otherPark', 'admin'],
    },
    { name: 'file', method: 'post', path: () => '/v1/filings', body: () => filingBody(mine), allow: ['enterprise'] },
    {
      name: 'dry run',
      method: 'post',
      path: () => '/v1/filings:validate',
      body: () => filingBody(mine),
      allow: ['enterprise', 'street', 'park', 'commission'],
    },
    { name: 'list filings', method: 'get', path: () => '/v1/filings', allow: everyone },
    {
      name: 'read a filing',
      method: 'get',
      path: () => `/v1/filings/${filingId}`,
      allow: ['enterprise', 'street', 'park', 'commission', 'admin'],
    },
    {
      name: 'read a revision',
      method: 'get',
      path: () => `/v1/filings/${filingId}/revisions/1`,
      allow: ['enterprise', 'street', 'park', 'commission', 'admin'],
    },
    {
      name: 'explain warnings',
      method: 'post',
      path: () => `/v1/filings/${filingId}/explanations`,
      body: () => ({ explanations: [] }),
      allow: ['enterprise'],
    },
    {
      name: 'return a filing',
      method: 'post',
      path: () => `/v1/filings/${filingId}/return`,
      body: () => ({ comment: '请核对研发费用口径' }),
      allow: ['street', 'park', 'commission'],
    },
  ];

  describe.each(endpoints)('$name', (endpoint) => {
    it.each(CALLERS)('%s', async (caller) => {
      const body = endpoint.body?.();
      const options =
        typeof body === 'string'
          ? { as: who(caller), raw: body, headers: { 'content-type': 'text/csv' } }
          : { as: who(caller), body };
      const response = await intake.http[endpoint.method](endpoint.path(), options);
      if (endpoint.allow.includes(caller)) expect([401, 403]).not.toContain(response.status);
      else expect(response.status).toBe(403);
    });

    it('anonymous', async () => {
      expect((await intake.http[endpoint.method](endpoint.path(), { body: endpoint.body?.() })).status).toBe(401);
    });
  });

  it('shows each role only its own part of the lists', async () => {
    const roster = async (caller: Caller) =>
      (
        await intake.http.get<{ items: { uscc: string }[] }>('/v1/enterprises?pageSize=500', { as: who(caller) })
      ).body.items.map((e) => e.uscc);
    expect(await roster('enterprise')).toEqual([mine.uscc]);
    expect(await roster('otherPark')).not.toContain(mine.uscc);
    expect(await roster('street')).toContain(mine.uscc);
    expect(await roster('otherStreet')).not.toContain(mine.uscc);
    const filings = async (caller: Caller) =>
      (await intake.http.get<{ items: { id: string }[] }>('/v1/filings', { as: who(caller) })).body.items.map(
        (f) => f.id,
      );
    expect(await filings('enterprise')).toContain(filingId);
    expect(await filings('otherEnterprise')).not.toContain(filingId);
    expect(await filings('otherPark')).not.toContain(filingId);
    expect(await filings('commission')).toContain(filingId);
  });
});
