import { formVersionFor } from '@huoju/domain';
import { bearer, eventually, principals } from '@huoju/testing';
import { ExportFileExpiry } from '../src/export/export-file-expiry.service';
import { enterpriseChanged, uscc, verdict, type FixtureEnterprise } from './torch-export.fixtures';
import { startTestTorchExport, type ExportJobView, type RunningTorchExport } from './torch-export.harness';

const form = formVersionFor('torch-monthly', '2026-09')!;
const coreTeam = principals.park('CORE');
const enterprise: FixtureEnterprise = {
  uscc: uscc(72),
  nameZh: '上海张江过期测试有限公司',
  industryCode: 'C3973',
  parkCode: 'CORE',
  subParkCode: 'CORE-ZJ',
  streetCode: '310115125',
};

interface Problem {
  status: number;
  code: string;
  detail: string;
  detailZh: string;
  expiredAt?: string;
}

describe(ExportFileExpiry.name, () => {
  let service: RunningTorchExport;

  beforeAll(async () => {
    // Files live one day; the scheduled expiry runs every half second.
    service = await startTestTorchExport({ EXPORT_FILE_MAX_AGE_HOURS: '24', EXPORT_FILE_EXPIRY_EVERY_MS: '500' });
    await service.publish('registry.enterprise-changed.v1', enterprise.uscc, enterpriseChanged(enterprise));
    await service.publish(
      'filing.validated.v1',
      enterprise.uscc,
      verdict({
        uscc: enterprise.uscc,
        period: '2026-09',
        revision: 1,
        outcome: 'accepted',
        values: { qc05_0: '1500.25', qd01: '32' },
        validatedAt: '2026-10-05T02:00:00.000Z',
      }),
    );
    await eventually(async () => {
      const [row] = await service.query<{ n: string }>('SELECT count(*)::text AS n FROM torch_export.accepted_filing');
      return row!.n === '1';
    });
  });

  afterAll(() => service.stop());

  const request = (format: string): Promise<ExportJobView> =>
    service.exportAndWait(coreTeam, { formId: form.formId, period: '2026-09', park: 'CORE', format });

  async function get(path: string): Promise<{ status: number; type: string | null; body: unknown }> {
    const response = await fetch(`${service.url}${path}`, { headers: { authorization: await bearer(coreTeam) } });
    const type = response.headers.get('content-type');
    const body: unknown = type?.includes('json') ? await response.json() : await response.arrayBuffer();
    return { status: response.status, type, body };
  }

  it('deletes the files of exports older than the configured age on schedule; the export then answers 410 expired', async () => {
    const old = await request('csv');
    const young = await request('xlsx');
    expect((await service.download(old.id, coreTeam)).status).toBe(200);
    // The old export completed two days ago, the young one just now.
    await service.query(
      `UPDATE torch_export.export_job SET finished_at = finished_at - interval '2 days' WHERE id = $1`,
      [old.id],
    );

    const file = await eventually(async () => {
      const answer = await get(`/v1/exports/${old.id}/file`);
      return answer.status === 410 ? answer : undefined;
    }, 30_000);
    expect(file.type).toMatch(/^application\/problem\+json/);
    const problem = file.body as Problem;
    expect(problem).toMatchObject({ status: 410, code: 'EXPORT.EXPIRED' });
    expect(problem.detail).toMatch(/expired/);
    expect(problem.detailZh).toMatch(/过保存期限/);
    expect(problem.expiredAt).toEqual(expect.any(String));
    const manifest = await get(`/v1/exports/${old.id}/manifest`);
    expect(manifest.status).toBe(410);
    expect((manifest.body as Problem).code).toBe('EXPORT.EXPIRED');

    // The row stays (its cut-off can be exported again); the bytes are gone from the store.
    const view = await service.http.get<ExportJobView>(`/v1/exports/${old.id}`, { as: coreTeam });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ state: 'completed', file: null });
    const stored = await service.query<{ key: string }>(`SELECT key FROM torch_export.export_file ORDER BY key`);
    expect(stored.map((row) => row.key)).toEqual([`${young.id}.manifest.json`, `${young.id}.xlsx`].sort());

    // A run after the expiry left the young export alone.
    const expiry = service.app.get(ExportFileExpiry);
    expect(await expiry.expire()).toBe(0);
    expect((await service.download(young.id, coreTeam)).status).toBe(200);
  });
});
