import { torchExportRoutes } from '@huoju/contracts/http';
import { RevocationList, type Principal, type Role } from '@huoju/platform';
import {
  badTokenCells,
  eventually,
  principals,
  runMatrix,
  scopeCells,
  type MatrixRequest,
  type ScopeCase,
} from '@huoju/testing';
import { enterpriseChanged, uscc, verdict, type FixtureEnterprise } from './torch-export.fixtures';
import { startTestTorchExport, type RunningTorchExport } from './torch-export.harness';

const mine: FixtureEnterprise = {
  uscc: uscc(101),
  nameZh: '上海普陀软件有限公司',
  industryCode: 'I6513',
  parkCode: 'PT',
  subParkCode: 'PT-ZHONGHUAN',
  streetCode: '310107020',
};
const theirs: FixtureEnterprise = {
  uscc: uscc(102),
  nameZh: '上海张江微电子有限公司',
  industryCode: 'C3973',
  parkCode: 'CORE',
  subParkCode: 'CORE-ZJ',
  streetCode: '310115125',
};
/** In PT until June 2026, in CORE since July: PT's August export must not carry it. */
const moved: FixtureEnterprise = { ...mine, uscc: uscc(103), nameZh: '上海迁出科技有限公司' };

const callers: Record<Role, Principal> = {
  enterprise: principals.enterprise(mine.uscc),
  street: principals.street(mine.streetCode),
  park: principals.park('PT'),
  commission: principals.commission,
  admin: principals.admin,
};

describe('torch-export authorization matrix', () => {
  let service: RunningTorchExport;
  const exports: Record<'PT' | 'CORE', string> = { PT: '', CORE: '' };

  beforeAll(async () => {
    service = await startTestTorchExport();
    await service.publish('registry.enterprise-changed.v1', mine.uscc, enterpriseChanged(mine));
    await service.publish('registry.enterprise-changed.v1', theirs.uscc, enterpriseChanged(theirs));
    await service.publish('registry.enterprise-changed.v1', moved.uscc, {
      ...enterpriseChanged(moved),
      memberships: [
        {
          parkCode: 'PT',
          subParkCode: 'PT-ZHONGHUAN',
          carrierCode: null,
          validFrom: '2024-01-01',
          validTo: '2026-06-30',
        },
        { parkCode: 'CORE', subParkCode: 'CORE-ZJ', carrierCode: null, validFrom: '2026-07-01', validTo: null },
      ],
    });
    for (const enterprise of [mine, theirs, moved])
      await service.publish(
        'filing.validated.v1',
        enterprise.uscc,
        verdict({
          uscc: enterprise.uscc,
          period: '2026-08',
          revision: 1,
          outcome: 'accepted',
          values: { qc05_0: '100', qd01: '5' },
          validatedAt: '2026-09-05T02:00:00.000Z',
        }),
      );
    await eventually(async () => {
      const [row] = await service.query<{ n: string }>('SELECT count(*) AS n FROM torch_export.accepted_filing');
      return row!.n === '3';
    });
    for (const park of ['PT', 'CORE'] as const)
      exports[park] = (
        await service.exportAndWait(principals.commission, {
          formId: 'torch-monthly',
          period: '2026-08',
          park,
          format: 'csv',
        })
      ).id;
    await service.app.get(RevocationList).revoke({ subject: 'matrix-revoked' });
  });

  afterAll(() => service.stop());

  const park = (scope: ScopeCase) => (scope === 'foreign' ? 'CORE' : 'PT');
  const job =
    (suffix: string) =>
    (_: Role, scope: ScopeCase): MatrixRequest => ({
      path: `/v1/exports/${exports[park(scope)]}${suffix}`,
    });
  const cases = {
    requestExport: (_: Role, scope: ScopeCase) => ({
      path: '/v1/exports',
      body: { formId: 'torch-monthly', period: '2026-08', park: park(scope), format: 'csv' },
    }),
    listExports: (_: Role, scope: ScopeCase) => ({ path: `/v1/exports?park=${park(scope)}` }),
    getExport: job(''),
    getExportFile: job('/file'),
    getExportManifest: job('/manifest'),
    listAutoExports: (_: Role, scope: ScopeCase) => (scope === 'own' ? { path: '/v1/exports/auto' } : undefined),
    getAutoExport: (_: Role, scope: ScopeCase) => ({ path: `/v1/exports/auto/${park(scope)}` }),
    setAutoExport: (_: Role, scope: ScopeCase) => ({
      path: `/v1/exports/auto/${park(scope)}`,
      body: { enabled: false, formats: ['csv'] },
    }),
  };

  it('refuses every bad token on every route with 401', async () => {
    const cells = await badTokenCells(
      torchExportRoutes,
      { ...principals.commission, subject: 'matrix' },
      'matrix-revoked',
    );
    expect(cells.length).toBeGreaterThanOrEqual(8 * Object.keys(torchExportRoutes).length);
    expect(await runMatrix(service.url, cells)).toEqual([]);
  });

  it('answers every role in its own, a foreign and a moved-away scope without another’s data', async () => {
    const cells = scopeCells({
      table: torchExportRoutes,
      cases,
      callers,
      foreignMarkers: [theirs.uscc, moved.uscc, '"CORE"', exports.CORE],
    });
    expect(cells.length).toBeGreaterThan(80);
    expect(await runMatrix(service.url, cells, { concurrency: 4 })).toEqual([]);
  });

  it('puts the moved-away enterprise in the park it belongs to now, so the leak check above can fail', async () => {
    const file = await service.download(exports.CORE, principals.park('CORE'));
    expect(file.bytes.toString('utf8')).toContain(moved.uscc);
  });
});
