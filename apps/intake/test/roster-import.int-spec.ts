import { USCC_CHARSET } from '@huoju/domain';
import { bearer, generateRoster, principals, sqlQuery } from '@huoju/testing';
import { startTestIntake, type RunningIntake } from './intake.harness';
import {
  CSV,
  XLSX,
  postRoster,
  rosterCells,
  rosterCsv,
  rosterXlsx,
  type ImportProblem,
  type RosterCells,
} from './roster-file.fixture';

describe('roster import', () => {
  let intake: RunningIntake;
  const roster = generateRoster({ size: 10_000, seed: 2026 });
  const rows = roster.map((enterprise) => rosterCells(enterprise));

  const total = async () =>
    (await intake.http.get<{ total: number }>('/v1/enterprises?pageSize=1', { as: principals.admin })).body.total;
  const footprint = async () => {
    const schema = `intake_${intake.namespace}`;
    const [counts] = await sqlQuery<{ outbox: string; versions: string | null; history: string }>(
      `SELECT (SELECT count(*) FROM "${schema}".outbox WHERE topic = 'registry.enterprise-changed.v1') AS outbox,
              (SELECT sum(registry_version) FROM "${schema}".enterprise) AS versions,
              (SELECT count(*) FROM "${schema}".enterprise_history) AS history`,
    );
    return {
      outbox: Number(counts!.outbox),
      versions: Number(counts!.versions ?? 0),
      history: Number(counts!.history),
    };
  };

  beforeAll(async () => {
    intake = await startTestIntake();
  });

  afterAll(() => intake.stop());

  it('reports exactly the three bad rows of a 10,000-row workbook, with row and column, and imports nothing', async () => {
    const bad = rows.map((row) => ({ ...row }));
    const wrongCheck = (uscc: string) =>
      uscc.slice(0, 17) + USCC_CHARSET.charAt((USCC_CHARSET.indexOf(uscc.charAt(17)) + 1) % 31);
    bad[1234]!.uscc = wrongCheck(bad[1234]!.uscc);
    bad[5678]!.streetCode = '310107999';
    const notInCn = bad.findIndex((row, index) => index > 9000 && row.parkCode !== 'CN');
    bad[notInCn]!.subParkCode = 'CN-E';

    const response = await postRoster<ImportProblem>(intake.url, await rosterXlsx(bad), {
      as: principals.admin,
      contentType: XLSX,
    });

    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'IMPORT.INVALID', errorCount: 3 });
    // Spreadsheet rows: the header is row 1, so the enterprise at index i is on row i + 2.
    expect(response.body.errors.map((e) => `${e.row} ${e.column} ${e.code}`)).toEqual([
      '1236 统一社会信用代码 uscc USCC.CHECKSUM',
      '5680 街镇代码 streetCode STREET.UNKNOWN',
      `${notInCn + 2} 分园代码 subParkCode SUB_PARK.UNKNOWN`,
    ]);
    expect(response.body.errors[2]!.remedyZh).toContain(`园区 ${bad[notInCn]!.parkCode} 的分园代码`);
    expect(await total()).toBe(0);
  });

  it('imports the corrected workbook of 10,000 rows in one request, and the same file again changes nothing', async () => {
    const file = await rosterXlsx(rows);
    const measured = await measure(() => postRoster(intake.url, file, { as: principals.admin, contentType: XLSX }));
    expect(measured.result.status).toBe(200);
    expect(measured.result.body).toMatchObject({
      dryRun: false,
      rows: 10_000,
      created: 10_000,
      updated: 0,
      unchanged: 0,
      errors: 0,
    });
    console.info(`10,000-row XLSX (${(file.length / 1024).toFixed(0)} KiB) imported: ${measured.summary}`);
    expect(await total()).toBe(10_000);
    const after = await footprint();
    expect(after).toEqual({ outbox: 10_000, versions: 10_000, history: 10_000 });

    const again = await measure(() => postRoster(intake.url, file, { as: principals.admin, contentType: XLSX }));
    expect(again.result.status).toBe(200);
    expect(again.result.body).toMatchObject({ created: 0, updated: 0, unchanged: 10_000, errors: 0, updates: [] });
    console.info(`the same file again, nothing changed: ${again.summary}`);
    expect(await footprint()).toEqual(after);

    const sample = roster[4321]!;
    const stored = await intake.http.get<Record<string, unknown>>(`/v1/enterprises/${sample.uscc}`, {
      as: principals.admin,
    });
    expect(stored.body).toMatchObject({
      uscc: sample.uscc,
      registryVersion: 1,
      nameZh: sample.nameZh,
      memberships: [
        {
          parkCode: sample.parkCode,
          subParkCode: sample.subParkCode,
          carrierCode: sample.carrierCode ?? null,
          validFrom: '2025-01-01',
          validTo: null,
        },
      ],
      streets: [{ streetCode: sample.streetCode, validFrom: '2025-01-01', validTo: null }],
    });
  });

  it('reads a UTF-8 CSV with a byte order mark; a dry run reports what would change and stores nothing', async () => {
    // Names of their own: another seed's generated names may repeat the roster's.
    const fresh: RosterCells = {
      ...rosterCells(generateRoster({ size: 1, seed: 99 })[0]!),
      nameZh: '上海导入测试新增有限公司',
    };
    const changed: RosterCells = { ...rows[10]!, contactPhone: '021-60000000' };
    const file = rosterCsv([rows[11]!, changed, fresh], { bom: true });
    const before = await footprint();

    const dryRun = await postRoster(intake.url, file, {
      as: principals.admin,
      contentType: `${CSV}; charset=utf-8`,
      dryRun: true,
    });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toMatchObject({
      dryRun: true,
      rows: 3,
      created: 1,
      updated: 1,
      unchanged: 1,
      updates: [{ row: 3, uscc: changed.uscc, changes: ['contact'] }],
    });
    expect(await footprint()).toEqual(before);
    expect(await total()).toBe(10_000);

    const applied = await postRoster(intake.url, file, { as: principals.admin, contentType: CSV });
    expect(applied.body).toMatchObject({ dryRun: false, created: 1, updated: 1, unchanged: 1 });
    expect(await footprint()).toEqual({
      outbox: before.outbox + 2,
      versions: before.versions + 2,
      history: before.history + 2,
    });
    const updated = await intake.http.get<{ registryVersion: number; contact: { phone: string } }>(
      `/v1/enterprises/${changed.uscc}`,
      { as: principals.admin },
    );
    expect(updated.body).toMatchObject({ registryVersion: 2, contact: { phone: '021-60000000' } });
    const history = await intake.http.get<{ registryVersion: number; change: string }[]>(
      `/v1/enterprises/${changed.uscc}/history`,
      { as: principals.admin },
    );
    expect(history.body.map((h) => h.change)).toEqual(['created (import row 12)', 'import row 3: updated contact']);
  });

  it('reports duplicates within the file and a name another enterprise already has', async () => {
    const [a, b] = generateRoster({ size: 2, seed: 123 }).map((e, index) => ({
      ...rosterCells(e),
      nameZh: `上海导入测试重复${index}有限公司`,
    }));
    const file = rosterCsv([a!, { ...b!, nameZh: a!.nameZh }, a!, { ...b!, nameZh: rows[0]!.nameZh }]);
    const response = await postRoster<ImportProblem>(intake.url, file, { as: principals.admin, contentType: CSV });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e) => `${e.row} ${e.code}`)).toEqual([
      '3 IMPORT.DUPLICATE_NAME',
      '4 IMPORT.DUPLICATE_USCC',
      '4 IMPORT.DUPLICATE_NAME',
      '5 IMPORT.DUPLICATE_USCC',
      '5 IMPORT.NAME_TAKEN',
    ]);
  });

  it('lets a park team import its own park’s rows only, and no other role import at all', async () => {
    const [pt, cn] = [roster.find((e) => e.parkCode === 'PT')!, roster.find((e) => e.parkCode === 'CN')!];
    const file = rosterCsv([rosterCells(pt), { ...rosterCells(cn), contactName: '李四' }]);
    const refused = await postRoster<ImportProblem>(intake.url, file, { as: principals.park('PT'), contentType: CSV });
    expect(refused.status).toBe(403);
    expect(refused.body.errors.map((e) => `${e.row} ${e.column} ${e.code}`)).toEqual([
      '3 园区代码 parkCode IMPORT.PARK_OUT_OF_SCOPE',
    ]);

    const own = await postRoster(intake.url, rosterCsv([{ ...rosterCells(pt), contactName: '王五' }]), {
      as: principals.park('PT'),
      contentType: CSV,
    });
    expect(own.body).toMatchObject({ updated: 1, updates: [{ uscc: pt.uscc, changes: ['contact'] }] });

    for (const principal of [principals.street(pt.streetCode), principals.commission, principals.enterprise(pt.uscc)]) {
      expect((await postRoster(intake.url, file, { as: principal, contentType: CSV })).status).toBe(403);
    }
  });

  it('offers a template in both formats that imports as it is', async () => {
    for (const format of ['csv', 'xlsx'] as const) {
      const response = await fetch(`${intake.url}/v1/enterprises:import/template?format=${format}`, {
        headers: { authorization: await bearer(principals.park('PT')) },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toContain(`roster-import-template.${format}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      if (format === 'csv') expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const dryRun = await postRoster(intake.url, bytes, {
        as: principals.park('PT'),
        contentType: format === 'csv' ? CSV : XLSX,
        dryRun: true,
      });
      expect(dryRun.body).toMatchObject({ dryRun: true, rows: 1, created: 1 });
    }
  });

  it('takes roster files on the import route only, and only roster files there', async () => {
    const json = await intake.http.post<{ code: string }>('/v1/enterprises:import', {
      as: principals.admin,
      body: { rows: [] },
    });
    expect(json).toMatchObject({ status: 415, body: { code: 'IMPORT.MEDIA_TYPE' } });
    const csvElsewhere = await intake.http.post<{ code: string }>('/v1/enterprises', {
      as: principals.admin,
      raw: 'uscc\n1\n',
      headers: { 'content-type': CSV },
    });
    expect(csvElsewhere).toMatchObject({ status: 415, body: { code: 'REQUEST.MEDIA_TYPE' } });
    const gbk = await postRoster<ImportProblem>(intake.url, Buffer.from([0xc6, 0xf3, 0xd2, 0xb5, 0x0a]), {
      as: principals.admin,
      contentType: CSV,
    });
    expect(gbk.body.errors.map((e) => e.code)).toEqual(['IMPORT.FILE_UNREADABLE']);
    const empty = await postRoster<ImportProblem>(intake.url, Buffer.alloc(0), {
      as: principals.admin,
      contentType: XLSX,
    });
    expect(empty).toMatchObject({ status: 422, body: { errors: [{ code: 'IMPORT.NO_ROWS' }] } });
  });

  it('takes files above the application’s 1 MB body limit on the import route, up to 20 MB', async () => {
    const tooLarge = await postRoster<{ code: string }>(intake.url, Buffer.alloc(20 * 1024 * 1024 + 1, 0x61), {
      as: principals.admin,
      contentType: CSV,
    });
    expect(tooLarge).toMatchObject({ status: 413, body: { code: 'REQUEST.TOO_LARGE' } });
  });
});

/** Wall time, and RSS and heap peaks while `run` is in flight (intake runs in this Jest worker). Informational only. */
async function measure<T>(run: () => Promise<T>): Promise<{ result: T; ms: number; summary: string }> {
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  };
  const sampler = setInterval(sample, 10);
  const started = performance.now();
  try {
    const result = await run();
    sample();
    const ms = Math.round(performance.now() - started);
    return {
      result,
      ms,
      summary: `${ms} ms; RSS ${mb(before.rss)} → peak ${mb(peakRss)} MB (+${mb(peakRss - before.rss)}), heap ${mb(before.heapUsed)} → peak ${mb(peakHeap)} MB`,
    };
  } finally {
    clearInterval(sampler);
  }
}
