import type { AuditRecorded } from '@huoju/contracts';
import {
  enterpriseBody,
  eventually,
  generateRoster,
  inScopeOn,
  principals,
  publishEvents,
  testKafka,
} from '@huoju/testing';
import { startTestIntake, type RunningIntake } from './intake.harness';
import { CSV, rosterCells, rosterCsv } from './roster-file.fixture';

const kafka = testKafka('intake-audit');
const [enterprise, imported] = generateRoster({ size: 200, seed: 5 }).filter(
  (e) => e.parkCode === 'PT' && inScopeOn(e, 'torch-monthly', '2026-09-30') && !/^[BCD]/.test(e.industryCode),
);

interface Entry {
  actor: string;
  role: string;
  action: string;
  target: string;
  ip: string;
  at: string;
  details: Record<string, unknown>;
}

/**
 * The one audit log: returns, roster changes and imports, key and account changes written by intake
 * itself, and exports, downloads and roll-ups recorded at torch-export and aggregation (audit.recorded.v1).
 */
describe('audit log', () => {
  let intake: RunningIntake;
  const admin = principals.admin;
  const log = async () =>
    (await intake.http.get<{ items: Entry[] }>('/v1/audit?pageSize=200', { as: admin })).body.items;

  beforeAll(async () => {
    intake = await startTestIntake();
  });

  afterAll(() => intake.stop());

  it('records returns, roster changes and imports, key and account changes with who, what and from where', async () => {
    const park = principals.park('PT');
    expect((await intake.http.post('/v1/enterprises', { as: park, body: enterpriseBody(enterprise!) })).status).toBe(
      201,
    );
    expect(
      (
        await intake.http.patch(`/v1/enterprises/${enterprise!.uscc}`, {
          as: park,
          body: { industryTags: ['AI'] },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await intake.http.post('/v1/enterprises:import', {
          as: park,
          raw: rosterCsv([rosterCells(imported!)]).toString('utf8'),
          headers: { 'content-type': CSV },
        })
      ).status,
    ).toBe(200);
    const filed = await intake.http.post<{ filingId: string }>('/v1/filings', {
      as: principals.enterprise(enterprise!.uscc),
      body: { formId: 'torch-monthly', period: '2026-09', values: { qc05_0: '100', qc55: '90', qd01: '5' } },
    });
    expect(filed.status).toBe(202);
    expect(
      (
        await intake.http.post(`/v1/filings/${filed.body.filingId}/return`, {
          as: park,
          body: { comment: '请核对研发费用口径' },
        })
      ).status,
    ).toBe(200);
    const key = await intake.http.post<{ id: string }>('/v1/api-keys', {
      as: admin,
      body: { role: 'park', scope: ['PT'], label: 'audit' },
    });
    expect((await intake.http.post(`/v1/api-keys/${key.body.id}/revoke`, { as: admin })).status).toBeLessThan(300);
    const account = {
      username: 'audit-street',
      displayName: '审计',
      password: 'Zq7-Kestrel-Lantern-91',
      role: 'street',
      scope: [enterprise!.streetCode],
    };
    expect((await intake.http.post('/v1/accounts', { as: admin, body: account })).status).toBe(201);
    expect((await intake.http.patch('/v1/accounts/audit-street', { as: admin, body: { disabled: true } })).status).toBe(
      200,
    );

    const entries = (await log()).map((e) => `${e.action} ${e.actor} ${e.target} ${e.ip}`);
    for (const expected of [
      `roster.change ${park.subject} ${enterprise!.uscc} 127.0.0.1`,
      `roster.import ${park.subject} roster 127.0.0.1`,
      `filing.return ${park.subject} ${filed.body.filingId} 127.0.0.1`,
      `api-key.create ${admin.subject} ${key.body.id} 127.0.0.1`,
      `api-key.revoke ${admin.subject} ${key.body.id} 127.0.0.1`,
      `account.create ${admin.subject} audit-street 127.0.0.1`,
      `account.update ${admin.subject} audit-street 127.0.0.1`,
    ])
      expect(entries).toContain(expected);
    // Both the registration and the change name the enterprise.
    expect(entries.filter((e) => e === `roster.change ${park.subject} ${enterprise!.uscc} 127.0.0.1`)).toHaveLength(2);
  });

  it('stores what aggregation and torch-export record, once per event however often it is delivered', async () => {
    const recorded = (action: AuditRecorded['action'], target: string, service: string): AuditRecorded => ({
      service,
      actor: 'test-park-PT',
      role: 'park',
      action,
      target,
      ip: '10.0.0.7',
      at: '2026-10-20T03:00:00.000Z',
      details: { period: '2026-09' },
    });
    const [created, downloaded, rolledUp] = await publishEvents(kafka, intake.namespace, 'audit.recorded.v1', [
      { key: 'test-park-PT', payload: recorded('export.create', 'e1', 'torch-export') },
      { key: 'test-park-PT', payload: recorded('export.download', 'e1', 'torch-export') },
      { key: 'test-park-PT', payload: recorded('rollup.request', 'PT', 'aggregation') },
    ]);
    // A redelivery of the same envelopes.
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: `${intake.namespace}.audit.recorded.v1`,
      acks: -1,
      messages: [created!, downloaded!, rolledUp!].map((e) => ({ key: e.key, value: JSON.stringify(e) })),
    });
    await producer.disconnect();

    const remote = await eventually(async () => {
      const items = (await log()).filter((e) => e.ip === '10.0.0.7');
      return items.length >= 3 ? items : undefined;
    });
    expect(remote.map((e) => `${e.action} ${e.target} ${String(e.details.service)}`).sort()).toEqual([
      'export.create e1 torch-export',
      'export.download e1 torch-export',
      'rollup.request PT aggregation',
    ]);
    expect(remote.every((e) => e.at === '2026-10-20T03:00:00.000Z' && e.actor === 'test-park-PT')).toBe(true);
    const filtered = await intake.http.get<{ items: Entry[] }>('/v1/audit?action=export.download', { as: admin });
    expect(filtered.body.items).toHaveLength(1);
  });
});
