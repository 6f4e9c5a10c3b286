import type { EnterpriseChanged } from '@huoju/contracts';
import { eventually, principals } from '@huoju/testing';
import { enterpriseChanged, uscc, verdict, type FixtureEnterprise } from './torch-export.fixtures';
import { startTestTorchExport, type ExportJobView, type RunningTorchExport } from './torch-export.harness';

const commission = principals.commission;

const before: FixtureEnterprise = {
  uscc: uscc(41),
  nameZh: '上海张江旧名微电子有限公司',
  industryCode: 'C3973',
  parkCode: 'CORE',
  subParkCode: 'CORE-ZJ',
  streetCode: '310115125',
};
const v1 = enterpriseChanged(before, 1);
// Renamed on 20 October (after period 2026-09) and moved to PT from November.
const v2: EnterpriseChanged = {
  ...v1,
  registryVersion: 2,
  nameZh: '上海普陀新名科技有限公司',
  industryCode: 'I6513',
  memberships: [
    { parkCode: 'CORE', subParkCode: 'CORE-ZJ', carrierCode: null, validFrom: '2024-01-01', validTo: '2026-10-31' },
    { parkCode: 'PT', subParkCode: 'PT-ZHONGHUAN', carrierCode: null, validFrom: '2026-11-01', validTo: null },
  ],
  streets: [
    { streetCode: '310115125', validFrom: '2024-01-01', validTo: '2026-10-31' },
    { streetCode: '310107020', validFrom: '2026-11-01', validTo: null },
  ],
  changedAt: '2026-10-20T02:00:00.000Z',
};
// A correction: the registry now says the enterprise was in PT all along.
const v3: EnterpriseChanged = {
  ...v2,
  registryVersion: 3,
  memberships: [
    { parkCode: 'PT', subParkCode: 'PT-ZHONGHUAN', carrierCode: null, validFrom: '2024-01-01', validTo: null },
  ],
  streets: [{ streetCode: '310107020', validFrom: '2024-01-01', validTo: null }],
  changedAt: '2026-11-05T02:00:00.000Z',
};

/** uscc, name, park, sub-park, street and industry of each enterprise row of a CSV export. */
function rosterCells(csv: Buffer): string[][] {
  const [, ...rows] = csv
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split('\r\n');
  return rows.filter((row) => row !== '').map((row) => [0, 1, 2, 4, 6, 8].map((i) => row.split(',')[i]!));
}

describe('torch-export roster history', () => {
  let service: RunningTorchExport;
  const exportCsv = (period: string, park: string, cutoff?: string) =>
    service.exportAndWait(commission, {
      formId: 'torch-monthly',
      period,
      park,
      format: 'csv',
      ...(cutoff ? { cutoff } : {}),
    });
  const rows = async (job: ExportJobView) => rosterCells((await service.download(job.id, commission)).bytes);
  const versions = async () =>
    (await service.query<{ n: string }>('SELECT count(*) AS n FROM torch_export.roster_enterprise_version'))[0]!.n;
  const manifestRoster = async (job: ExportJobView) =>
    (
      await service.http.get<{ roster: { sequence: string; sha256: string } }>(`/v1/exports/${job.id}/manifest`, {
        as: commission,
      })
    ).body.roster;

  const OLD = [before.uscc, before.nameZh, 'CORE', 'CORE-ZJ', '310115125', 'C3973'];
  let september: ExportJobView;

  beforeAll(async () => {
    service = await startTestTorchExport();
    await service.publish('registry.enterprise-changed.v1', before.uscc, v1);
    for (const period of ['2026-09', '2026-11'])
      await service.publish(
        'filing.validated.v1',
        before.uscc,
        verdict({
          uscc: before.uscc,
          period,
          revision: 1,
          outcome: 'accepted',
          values: { qc05_0: '100', qd01: '5' },
          validatedAt: period === '2026-09' ? '2026-10-08T01:00:00.000Z' : '2026-12-01T01:00:00.000Z',
        }),
      );
    await eventually(async () => {
      const [row] = await service.query<{ n: string }>('SELECT count(*) AS n FROM torch_export.accepted_filing');
      return row!.n === '2' && (await versions()) === '1';
    });
    september = await exportCsv('2026-09', 'CORE');
  });

  afterAll(() => service.stop());

  it('exports a period with the names and parks of its time after a rename and a move, a later period with the new', async () => {
    expect(await rows(september)).toEqual([OLD]);

    await service.publish('registry.enterprise-changed.v1', before.uscc, v2);
    await eventually(async () => (await versions()) === '2');

    const again = await exportCsv('2026-09', 'CORE');
    expect(await rows(again)).toEqual([OLD]);
    expect(again.file!.sha256).toBe(september.file!.sha256);
    expect(await rows(await exportCsv('2026-11', 'PT'))).toEqual([
      [before.uscc, v2.nameZh, 'PT', 'PT-ZHONGHUAN', '310107020', 'I6513'],
    ]);
    expect(await rows(await exportCsv('2026-11', 'CORE'))).toEqual([]);
  });

  it('ignores duplicates and late versions, and re-exports an earlier cut-off with the roster that export read', async () => {
    // A version arriving late and one delivered twice change nothing; the correction behind them is recorded.
    await service.publish('registry.enterprise-changed.v1', before.uscc, v1);
    await service.publish('registry.enterprise-changed.v1', before.uscc, v2);
    await service.publish('registry.enterprise-changed.v1', before.uscc, v3);
    await eventually(async () => {
      const [row] = await service.query<{ n: number }>(
        'SELECT max(registry_version) AS n FROM torch_export.roster_enterprise_version',
      );
      return row!.n === 3;
    });
    expect(await versions()).toBe('3');

    // Now: placed in PT for September too (the correction), still under the name it had then.
    expect(await rows(await exportCsv('2026-09', 'PT'))).toEqual([
      [before.uscc, before.nameZh, 'PT', 'PT-ZHONGHUAN', '310107020', 'C3973'],
    ]);
    expect(await rows(await exportCsv('2026-09', 'CORE'))).toEqual([]);
    expect(await rows(await exportCsv('2026-11', 'PT'))).toEqual([
      [before.uscc, v2.nameZh, 'PT', 'PT-ZHONGHUAN', '310107020', 'I6513'],
    ]);

    // The first export's cut-off gives its file again, and its manifest names the same roster.
    const reexported = await exportCsv('2026-09', 'CORE', september.id);
    expect(reexported.file!.sha256).toBe(september.file!.sha256);
    expect(await rows(reexported)).toEqual([OLD]);
    const [first, second] = [await manifestRoster(september), await manifestRoster(reexported)];
    expect(first.sequence).toMatch(/^[1-9][0-9]*$/);
    expect(second).toMatchObject({ sequence: first.sequence, sha256: first.sha256 });
  });
});
