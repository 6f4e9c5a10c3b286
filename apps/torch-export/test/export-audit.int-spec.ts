import { principals, readEvents, testKafka } from '@huoju/testing';
import { enterpriseChanged, uscc, verdict } from './torch-export.fixtures';
import { startTestTorchExport, type RunningTorchExport } from './torch-export.harness';

const kafka = testKafka('torch-export-audit');
const enterprise = {
  uscc: uscc(201),
  nameZh: '上海审计测试科技有限公司',
  industryCode: 'I6513',
  parkCode: 'PT',
  subParkCode: 'PT-ZHONGHUAN',
  streetCode: '310107020',
};

describe('export audit', () => {
  let service: RunningTorchExport;

  beforeAll(async () => {
    service = await startTestTorchExport();
    await service.publish('registry.enterprise-changed.v1', enterprise.uscc, enterpriseChanged(enterprise));
    await service.publish(
      'filing.validated.v1',
      enterprise.uscc,
      verdict({
        uscc: enterprise.uscc,
        period: '2026-08',
        revision: 1,
        outcome: 'accepted',
        values: { qc05_0: '10', qd01: '1' },
        validatedAt: '2026-09-05T02:00:00.000Z',
      }),
    );
  });

  afterAll(() => service.stop());

  it('records the request and each download for intake’s audit log, and nothing for a refused download', async () => {
    const team = principals.park('PT');
    const done = await service.exportAndWait(team, {
      formId: 'torch-monthly',
      period: '2026-08',
      park: 'PT',
      format: 'csv',
    });
    expect((await service.download(done.id, team)).status).toBe(200);
    expect((await service.http.get(`/v1/exports/${done.id}/manifest`, { as: team })).status).toBe(200);
    expect((await service.download(done.id, principals.park('HK'))).status).toBe(403);

    const events = await readEvents(kafka, service.namespace, 'audit.recorded.v1', (seen) => seen.length >= 3);
    expect(
      events.map(({ key, payload }) => ({
        key,
        actor: payload.actor,
        action: payload.action,
        target: payload.target,
        ip: payload.ip,
        what: payload.details.what,
      })),
    ).toEqual([
      {
        key: team.subject,
        actor: team.subject,
        action: 'export.create',
        target: done.id,
        ip: '127.0.0.1',
        what: undefined,
      },
      {
        key: team.subject,
        actor: team.subject,
        action: 'export.download',
        target: done.id,
        ip: '127.0.0.1',
        what: 'file',
      },
      {
        key: team.subject,
        actor: team.subject,
        action: 'export.download',
        target: done.id,
        ip: '127.0.0.1',
        what: 'manifest',
      },
    ]);
    // The refused download left no entry: the outbox holds exactly the three.
    const [outbox] = await service.query<{ n: string }>(
      `SELECT count(*) AS n FROM torch_export.outbox WHERE topic = 'audit.recorded.v1'`,
    );
    expect(outbox!.n).toBe('3');
    expect(events[0]!.payload).toMatchObject({
      service: 'torch-export',
      role: 'park',
      details: { park: 'PT', format: 'csv' },
    });
  });
});
