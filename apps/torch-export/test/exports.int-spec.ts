import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { formVersionFor } from '@huoju/domain';
import { eventually, principals } from '@huoju/testing';
import {
  enterpriseChanged,
  filingId,
  receiptHash,
  uscc,
  verdict,
  type FixtureEnterprise,
  type VerdictSpec,
} from './torch-export.fixtures';
import { startTestTorchExport, type ExportJobView, type RunningTorchExport } from './torch-export.harness';

const form = formVersionFor('torch-monthly', '2026-09')!;
const commission = principals.commission;
const coreTeam = principals.park('CORE');
const ptTeam = principals.park('PT');

// A small fixed data set: four CORE enterprises in two sub-parks, one in PT, one the roster does not know.
const A: FixtureEnterprise = {
  uscc: uscc(1),
  nameZh: '上海张江微电子有限公司',
  industryCode: 'C3973',
  parkCode: 'CORE',
  subParkCode: 'CORE-ZJ',
  streetCode: '310115125',
};
const B: FixtureEnterprise = {
  uscc: uscc(2),
  nameZh: '上海张江研发服务有限公司',
  industryCode: 'M7320',
  parkCode: 'CORE',
  subParkCode: 'CORE-ZJ',
  streetCode: '310115503',
};
const C: FixtureEnterprise = {
  uscc: uscc(3),
  nameZh: '上海康桥药业股份有限公司',
  industryCode: 'C2720',
  parkCode: 'CORE',
  subParkCode: 'CORE-KQ',
  streetCode: '310115136',
};
const F: FixtureEnterprise = {
  uscc: uscc(4),
  nameZh: '上海康桥智能装备有限公司',
  industryCode: 'C3491',
  parkCode: 'CORE',
  subParkCode: 'CORE-KQ',
  streetCode: '310115136',
};
const D: FixtureEnterprise = {
  uscc: uscc(5),
  nameZh: '上海普陀软件有限公司',
  industryCode: 'I6513',
  parkCode: 'PT',
  subParkCode: 'PT-ZHONGHUAN',
  streetCode: '310107020',
};
const UNKNOWN = uscc(6);

const verdicts: VerdictSpec[] = [
  {
    uscc: A.uscc,
    period: '2026-08',
    revision: 1,
    outcome: 'accepted',
    values: { qc05_0: '1000', qd01: '30', qj55: '2' },
    validatedAt: '2026-09-05T02:00:00.000Z',
  },
  {
    uscc: A.uscc,
    period: '2026-09',
    revision: 1,
    outcome: 'accepted',
    values: { qc05_0: '1500.25', qc55: '1400', qd01: '32', qj20: '120.5', qj55: '3' },
    validatedAt: '2026-10-08T01:00:00.000Z',
  },
  {
    uscc: B.uscc,
    period: '2026-09',
    revision: 1,
    outcome: 'accepted',
    values: { qc05_0: '800', qc12: '-20.5', qd01: '15' },
    validatedAt: '2026-10-07T03:00:00.000Z',
  },
  // B's second revision needs explaining: its first stays the accepted one.
  {
    uscc: B.uscc,
    period: '2026-09',
    revision: 2,
    outcome: 'needs-explanation',
    values: { qc05_0: '9999', qd01: '15' },
    validatedAt: '2026-10-09T03:00:00.000Z',
  },
  {
    uscc: C.uscc,
    period: '2026-08',
    revision: 1,
    outcome: 'accepted',
    values: { qc05_0: '200', qd01: '50', qj55: '1' },
    validatedAt: '2026-09-06T02:00:00.000Z',
  },
  // A later verdict of the same revision changes its outcome.
  {
    uscc: C.uscc,
    period: '2026-09',
    revision: 1,
    verdict: 1,
    outcome: 'needs-explanation',
    values: { qc05_0: '450.125', qd01: '52', qj55: '1' },
    validatedAt: '2026-10-06T02:00:00.000Z',
  },
  {
    uscc: C.uscc,
    period: '2026-09',
    revision: 1,
    verdict: 2,
    outcome: 'accepted',
    values: { qc05_0: '450.125', qd01: '52', qj55: '1' },
    validatedAt: '2026-10-10T02:00:00.000Z',
  },
  // F's second revision arrives before its first: the older one must not win.
  {
    uscc: F.uscc,
    period: '2026-09',
    revision: 2,
    outcome: 'accepted',
    values: { qc05_0: '12345678901234.567', qd01: '8' },
    validatedAt: '2026-10-11T02:00:00.000Z',
  },
  {
    uscc: F.uscc,
    period: '2026-09',
    revision: 1,
    outcome: 'accepted',
    values: { qc05_0: '1', qd01: '7' },
    validatedAt: '2026-10-05T02:00:00.000Z',
  },
  {
    uscc: D.uscc,
    period: '2026-09',
    revision: 1,
    outcome: 'accepted',
    values: { qc05_0: '300', qd01: '20' },
    validatedAt: '2026-10-08T05:00:00.000Z',
  },
  {
    uscc: UNKNOWN,
    period: '2026-09',
    revision: 1,
    outcome: 'accepted',
    values: { qc05_0: '5', qd01: '1' },
    validatedAt: '2026-10-08T06:00:00.000Z',
  },
];

const AMENDMENT: VerdictSpec = {
  uscc: A.uscc,
  period: '2026-09',
  revision: 2,
  outcome: 'accepted',
  values: { qc05_0: '1600.25', qc55: '1400', qd01: '32', qj20: '130.5', qj55: '3' },
  validatedAt: '2026-10-12T02:00:00.000Z',
};

type Cell = string | number | null;

/** Every cell of a sheet as plain values (null for empty), rows × the header's width. */
function matrix(sheet: ExcelJS.Worksheet): Cell[][] {
  const width = sheet.getRow(1).cellCount;
  const rows: Cell[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    rows.push(Array.from({ length: width }, (_, c) => (row.getCell(c + 1).value ?? null) as Cell));
  }
  return rows;
}

async function workbook(bytes: Buffer): Promise<Map<string, Cell[][]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return new Map(book.worksheets.map((sheet) => [sheet.name, matrix(sheet)]));
}

/** The indicator cells of a row, in the form's column order. */
function indicators(values: Record<string, Cell>): Cell[] {
  return form.indicators.map((indicator) => values[indicator.code] ?? null);
}

const header = [
  '统一社会信用代码',
  '企业名称',
  '园区代码',
  '园区',
  '分园代码',
  '分园',
  '街镇代码',
  '街镇',
  '行业代码',
  ...form.indicators.map((i) => `${i.nameZh} ${i.code}（${i.unit}）`),
];
const CORE_NAME = '核心园（张江科学城）';

describe('torch-export exports', () => {
  let service: RunningTorchExport;
  let first: ExportJobView;
  let firstBytes: Buffer;

  beforeAll(async () => {
    service = await startTestTorchExport();
    for (const enterprise of [A, B, C, F, D])
      await service.publish('registry.enterprise-changed.v1', enterprise.uscc, enterpriseChanged(enterprise));
    for (const spec of verdicts) await service.publish('filing.validated.v1', spec.uscc, verdict(spec));
    // The same verdict delivered twice changes nothing.
    await service.publish('filing.validated.v1', A.uscc, verdict(verdicts[1]!));
    await eventually(async () => {
      const [counts] = await service.query<{ verdicts: string; roster: string }>(
        'SELECT (SELECT count(*) FROM torch_export.filing_verdict) AS verdicts, (SELECT count(*) FROM torch_export.roster_enterprise_version) AS roster',
      );
      return counts!.verdicts === String(verdicts.length) && counts!.roster === '5';
    });
  });

  afterAll(() => service.stop());

  it('keeps the latest accepted revision per enterprise and period, whatever order the verdicts came in', async () => {
    const rows = await service.query<{ uscc: string; revision: number; verdict: number }>(
      `SELECT uscc, revision, verdict FROM torch_export.accepted_filing WHERE period = '2026-09' ORDER BY uscc`,
    );
    expect(rows).toEqual([
      { uscc: A.uscc, revision: 1, verdict: 1 },
      { uscc: B.uscc, revision: 1, verdict: 1 },
      { uscc: C.uscc, revision: 1, verdict: 2 },
      { uscc: F.uscc, revision: 2, verdict: 1 },
      { uscc: D.uscc, revision: 1, verdict: 1 },
      { uscc: UNKNOWN, revision: 1, verdict: 1 },
    ]);
  });

  it('writes the Torch workbook of a park, cell by cell', async () => {
    first = await service.exportAndWait(coreTeam, {
      formId: 'torch-monthly',
      period: '2026-09',
      park: 'CORE',
      format: 'xlsx',
    });
    expect(first.progress).toEqual({ rowsWritten: 4, totalRows: 4, percent: 100 });
    const download = await service.download(first.id, coreTeam);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="torch-monthly_2026-09_CORE.xlsx"');
    firstBytes = download.bytes;
    expect(createHash('sha256').update(firstBytes).digest('hex')).toBe(first.file!.sha256);

    const sheets = await workbook(firstBytes);
    expect([...sheets.keys()]).toEqual(['企业明细', '汇总 CORE', '回执']);
    expect(sheets.get('企业明细')).toEqual([
      header,
      [
        A.uscc,
        A.nameZh,
        'CORE',
        CORE_NAME,
        'CORE-ZJ',
        '张江高科片区',
        '310115125',
        '张江镇',
        'C3973',
        ...indicators({ qc05_0: 1500.25, qc55: 1400, qd01: 32, qj20: 120.5, qj55: 3 }),
      ],
      [
        B.uscc,
        B.nameZh,
        'CORE',
        CORE_NAME,
        'CORE-ZJ',
        '张江高科片区',
        '310115503',
        '张江高科技园区',
        'M7320',
        ...indicators({ qc05_0: 800, qc12: -20.5, qd01: 15 }),
      ],
      [
        C.uscc,
        C.nameZh,
        'CORE',
        CORE_NAME,
        'CORE-KQ',
        '康桥片区',
        '310115136',
        '康桥镇',
        'C2720',
        ...indicators({ qc05_0: 450.125, qd01: 52, qj55: 1 }),
      ],
      // 17 significant digits: kept as text so that no digit changes.
      [
        F.uscc,
        F.nameZh,
        'CORE',
        CORE_NAME,
        'CORE-KQ',
        '康桥片区',
        '310115136',
        '康桥镇',
        'C3491',
        ...indicators({ qc05_0: '12345678901234.567', qd01: 8 }),
      ],
    ]);

    const empty = (code: string, name: string): Cell[] => ['CORE', code, name, 0, ...indicators({})];
    expect(sheets.get('汇总 CORE')).toEqual([
      ['园区代码', '分园代码', '分园', '企业数', ...header.slice(9)],
      [
        '口径 measure',
        null,
        null,
        null,
        ...form.indicators.map((i) => (i.kind === 'stock' ? '期末数 end of month' : '1—N月累计 YTD')),
      ],
      [
        'CORE',
        'CORE-ZJ',
        '张江高科片区',
        2,
        ...indicators({ qc05_0: 2300.25, qc55: 1400, qc12: -20.5, qd01: 47, qj20: 120.5, qj55: 3 }),
      ],
      ['CORE', 'CORE-KQ', '康桥片区', 2, ...indicators({ qc05_0: '12345678901684.692', qd01: 60, qj55: 1 })],
      empty('CORE-ZP', '周浦（国际医学园）片区'),
      empty('CORE-HQ', '合庆片区'),
      empty('CORE-TZ', '唐镇片区'),
      empty('CORE-LYL', '龙阳路片区'),
      empty('CORE-YQ', '御桥片区'),
      [
        'CORE',
        '_T',
        `合计 ${CORE_NAME}`,
        4,
        ...indicators({ qc05_0: '12345678903984.942', qc55: 1400, qc12: -20.5, qd01: 107, qj20: 120.5, qj55: 4 }),
      ],
    ]);

    const receipt = (e: FixtureEnterprise, revision: number, verdictNo: number, validatedAt: string): Cell[] => [
      e.uscc,
      e.nameZh,
      filingId(e.uscc, '2026-09'),
      revision,
      verdictNo,
      receiptHash(filingId(e.uscc, '2026-09'), revision),
      validatedAt,
      1,
    ];
    expect(sheets.get('回执')).toEqual([
      [
        '统一社会信用代码',
        '企业名称',
        '填报编号 filingId',
        '修订版本 revision',
        '审核序号 verdict',
        '回执哈希 contentSha256',
        '审核时间 validatedAt',
        '名录版本 registryVersion',
      ],
      receipt(A, 1, 1, '2026-10-08T01:00:00.000Z'),
      receipt(B, 1, 1, '2026-10-07T03:00:00.000Z'),
      receipt(C, 1, 2, '2026-10-10T02:00:00.000Z'),
      receipt(F, 2, 1, '2026-10-11T02:00:00.000Z'),
    ]);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(firstBytes as unknown as ArrayBuffer);
    expect(book.created).toEqual(new Date('2026-10-11T02:00:00.000Z'));
  });

  it('states the cut-off in the manifest: the file hash, row counts and every included filing', async () => {
    const manifest = await service.http.get<
      Record<string, unknown> & { filings: unknown[]; cutoff: Record<string, unknown>; file: Record<string, unknown> }
    >(`/v1/exports/${first.id}/manifest`, { as: coreTeam });
    expect(manifest.status).toBe(200);
    const lines = [A, B, C, F]
      .map((e) => `${filingId(e.uscc, '2026-09')}:${e === C ? '1:2' : e === F ? '2:1' : '1:1'}\n`)
      .join('');
    expect(manifest.body).toMatchObject({
      exportId: first.id,
      formId: 'torch-monthly',
      period: '2026-09',
      park: 'CORE',
      format: 'xlsx',
      file: { name: 'torch-monthly_2026-09_CORE.xlsx', bytes: firstBytes.length, sha256: first.file!.sha256 },
      rows: { enterprises: 4, summaryRows: 8, receipts: 4 },
      cutoff: {
        requested: { kind: 'live' },
        filings: 4,
        includedSha256: createHash('sha256').update(lines).digest('hex'),
        newestValidatedAt: '2026-10-11T02:00:00.000Z',
        unattributedFilings: 1,
      },
      roster: { date: '2026-09-30', enterprises: 4 },
    });
    expect(manifest.body.filings).toEqual([
      {
        uscc: A.uscc,
        filingId: filingId(A.uscc, '2026-09'),
        revision: 1,
        verdict: 1,
        contentSha256: receiptHash(filingId(A.uscc, '2026-09'), 1),
        validatedAt: '2026-10-08T01:00:00.000Z',
      },
      expect.objectContaining({ uscc: B.uscc, revision: 1, verdict: 1 }),
      expect.objectContaining({ uscc: C.uscc, revision: 1, verdict: 2 }),
      expect.objectContaining({ uscc: F.uscc, revision: 2, verdict: 1 }),
    ]);
  });

  it('re-exports the same cut-off byte for byte', async () => {
    const again = await service.exportAndWait(coreTeam, {
      formId: 'torch-monthly',
      period: '2026-09',
      park: 'CORE',
      format: 'xlsx',
    });
    expect(again.id).not.toBe(first.id);
    expect(again.file!.sha256).toBe(first.file!.sha256);
    expect((await service.download(again.id, coreTeam)).bytes.equals(firstBytes)).toBe(true);
  });

  it('writes the same content as CSV: BOM, RFC 4180, exact decimals', async () => {
    const job = await service.exportAndWait(coreTeam, {
      formId: 'torch-monthly',
      period: '2026-09',
      park: 'CORE',
      format: 'csv',
    });
    const download = await service.download(job.id, coreTeam);
    expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="torch-monthly_2026-09_CORE.csv"');
    const cells = (values: Record<string, string>) => form.indicators.map((i) => values[i.code] ?? '').join(',');
    expect(download.bytes.toString('utf8')).toBe(
      '\uFEFF' +
        `${header.join(',')}\r\n` +
        `${A.uscc},${A.nameZh},CORE,${CORE_NAME},CORE-ZJ,张江高科片区,310115125,张江镇,C3973,${cells({ qc05_0: '1500.25', qc55: '1400', qd01: '32', qj20: '120.5', qj55: '3' })}\r\n` +
        `${B.uscc},${B.nameZh},CORE,${CORE_NAME},CORE-ZJ,张江高科片区,310115503,张江高科技园区,M7320,${cells({ qc05_0: '800', qc12: '-20.5', qd01: '15' })}\r\n` +
        `${C.uscc},${C.nameZh},CORE,${CORE_NAME},CORE-KQ,康桥片区,310115136,康桥镇,C2720,${cells({ qc05_0: '450.125', qd01: '52', qj55: '1' })}\r\n` +
        `${F.uscc},${F.nameZh},CORE,${CORE_NAME},CORE-KQ,康桥片区,310115136,康桥镇,C3491,${cells({ qc05_0: '12345678901234.567', qd01: '8' })}\r\n`,
    );
  });

  it('writes the aggregates of the whole zone as SDMX-CSV 2.0 for the commission', async () => {
    const job = await service.exportAndWait(commission, {
      formId: 'torch-monthly',
      period: '2026-09',
      park: 'all',
      format: 'sdmx-csv',
    });
    const download = await service.download(job.id, commission);
    expect(download.headers.get('content-type')).toBe('application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8');
    const core = 'dataflow,HUOJU:TORCH_MONTHLY(1.0),I,CORE';
    const pt = 'dataflow,HUOJU:TORCH_MONTHLY(1.0),I,PT';
    expect(download.bytes.toString('utf8')).toBe(
      [
        'STRUCTURE,STRUCTURE_ID,ACTION,PARK,SUB_PARK,TIME_PERIOD,INDICATOR,MEASURE,OBS_VALUE',
        // M only where every reporting enterprise has its August figure (B and F have none).
        `${core},CORE-ZJ,2026-09,qc05_0,YTD,2300.25`,
        `${core},CORE-ZJ,2026-09,qc55,YTD,1400`,
        `${core},CORE-ZJ,2026-09,qc12,YTD,-20.5`,
        `${core},CORE-ZJ,2026-09,qd01,YTD,47`,
        `${core},CORE-ZJ,2026-09,qd01,M,47`,
        `${core},CORE-ZJ,2026-09,qj20,YTD,120.5`,
        `${core},CORE-ZJ,2026-09,qj55,YTD,3`,
        `${core},CORE-ZJ,2026-09,qj55,M,1`,
        `${core},CORE-KQ,2026-09,qc05_0,YTD,12345678901684.692`,
        `${core},CORE-KQ,2026-09,qd01,YTD,60`,
        `${core},CORE-KQ,2026-09,qd01,M,60`,
        `${core},CORE-KQ,2026-09,qj55,YTD,1`,
        `${core},CORE-KQ,2026-09,qj55,M,0`,
        `${core},_T,2026-09,qc05_0,YTD,12345678903984.942`,
        `${core},_T,2026-09,qc55,YTD,1400`,
        `${core},_T,2026-09,qc12,YTD,-20.5`,
        `${core},_T,2026-09,qd01,YTD,107`,
        `${core},_T,2026-09,qd01,M,107`,
        `${core},_T,2026-09,qj20,YTD,120.5`,
        `${core},_T,2026-09,qj55,YTD,4`,
        `${core},_T,2026-09,qj55,M,1`,
        `${pt},PT-ZHONGHUAN,2026-09,qc05_0,YTD,300`,
        `${pt},PT-ZHONGHUAN,2026-09,qd01,YTD,20`,
        `${pt},PT-ZHONGHUAN,2026-09,qd01,M,20`,
        `${pt},_T,2026-09,qc05_0,YTD,300`,
        `${pt},_T,2026-09,qd01,YTD,20`,
        `${pt},_T,2026-09,qd01,M,20`,
        '',
      ].join('\r\n'),
    );
    const manifest = await service.http.get<{ rows: Record<string, number>; cutoff: { unattributedFilings: number } }>(
      `/v1/exports/${job.id}/manifest`,
      { as: commission },
    );
    expect(manifest.body.rows).toEqual({ enterprises: 5, observations: 27 });
    expect(manifest.body.cutoff.unattributedFilings).toBe(1);
  });

  it('after an amendment differs exactly in the amended cells, and can still re-export the earlier cut-off', async () => {
    await service.publish('filing.validated.v1', A.uscc, verdict(AMENDMENT));
    await eventually(async () => {
      const [row] = await service.query<{ revision: number }>(
        `SELECT revision FROM torch_export.accepted_filing WHERE uscc = $1 AND period = '2026-09'`,
        [A.uscc],
      );
      return row?.revision === 2;
    });
    const amended = await service.exportAndWait(coreTeam, {
      formId: 'torch-monthly',
      period: '2026-09',
      park: 'CORE',
      format: 'xlsx',
    });
    expect(amended.file!.sha256).not.toBe(first.file!.sha256);

    const before = await workbook(firstBytes);
    const after = await workbook((await service.download(amended.id, coreTeam)).bytes);
    const differences: [string, number, number, Cell, Cell][] = [];
    for (const [name, cells] of before) {
      const other = after.get(name)!;
      expect(other.length).toBe(cells.length);
      cells.forEach((row, r) =>
        row.forEach((cell, c) => cell !== other[r]![c] && differences.push([name, r + 1, c + 1, cell, other[r]![c]!])),
      );
    }
    const column = (code: string) => 10 + form.indicators.findIndex((i) => i.code === code);
    const summaryColumn = (code: string) => 5 + form.indicators.findIndex((i) => i.code === code);
    const id = filingId(A.uscc, '2026-09');
    expect(differences).toEqual([
      ['企业明细', 2, column('qc05_0'), 1500.25, 1600.25],
      ['企业明细', 2, column('qj20'), 120.5, 130.5],
      ['汇总 CORE', 3, summaryColumn('qc05_0'), 2300.25, 2400.25],
      ['汇总 CORE', 3, summaryColumn('qj20'), 120.5, 130.5],
      ['汇总 CORE', 10, summaryColumn('qc05_0'), '12345678903984.942', '12345678904084.942'],
      ['汇总 CORE', 10, summaryColumn('qj20'), 120.5, 130.5],
      ['回执', 2, 4, 1, 2],
      ['回执', 2, 6, receiptHash(id, 1), receiptHash(id, 2)],
      ['回执', 2, 7, '2026-10-08T01:00:00.000Z', '2026-10-12T02:00:00.000Z'],
    ]);

    const manifest = await service.http.get<{
      filings: { uscc: string; revision: number; verdict: number }[];
      cutoff: { newestValidatedAt: string };
    }>(`/v1/exports/${amended.id}/manifest`, {
      as: coreTeam,
    });
    expect(manifest.body.filings[0]).toMatchObject({ uscc: A.uscc, revision: 2, verdict: 1 });
    expect(manifest.body.cutoff.newestValidatedAt).toBe('2026-10-12T02:00:00.000Z');

    // The earlier cut-off, named by its manifest or by its newest verdict time, gives the first file again.
    const byManifest = await service.exportAndWait(coreTeam, {
      formId: 'torch-monthly',
      period: '2026-09',
      park: 'CORE',
      format: 'xlsx',
      cutoff: first.id,
    });
    expect(byManifest.cutoff).toMatchObject({
      kind: 'export',
      exportId: first.id,
      verdictSequence: first.cutoff.verdictSequence,
    });
    expect(byManifest.file!.sha256).toBe(first.file!.sha256);
    const byTime = await service.exportAndWait(coreTeam, {
      formId: 'torch-monthly',
      period: '2026-09',
      park: 'CORE',
      format: 'xlsx',
      cutoff: '2026-10-11T02:00:00.000Z',
    });
    expect(byTime.file!.sha256).toBe(first.file!.sha256);
    expect((await service.download(byTime.id, coreTeam)).bytes).toEqual(firstBytes);
  });

  it('lets park teams export and read their own park only; the commission any park or all', async () => {
    const body = { formId: 'torch-monthly', period: '2026-09', park: 'CORE', format: 'csv' };
    const refused = await service.http.post<{ code: string }>('/v1/exports', { as: ptTeam, body });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.code).toBe('AUTH.FORBIDDEN');
    expect((await service.http.post('/v1/exports', { as: ptTeam, body: { ...body, park: 'all' } })).status).toBe(403);
    expect((await service.http.post('/v1/exports', { as: principals.enterprise(A.uscc), body })).status).toBe(403);
    expect((await service.http.post('/v1/exports', { as: principals.street('310115125'), body })).status).toBe(403);
    expect((await service.http.post('/v1/exports', { body })).status).toBe(401);
    expect((await service.http.post('/v1/exports', { as: commission, body })).status).toBe(202);
    expect(
      (await service.http.post('/v1/exports', { as: principals.admin, body: { ...body, park: 'PT' } })).status,
    ).toBe(202);

    for (const path of [
      `/v1/exports/${first.id}`,
      `/v1/exports/${first.id}/file`,
      `/v1/exports/${first.id}/manifest`,
    ]) {
      const response = await service.http.get<{ code: string }>(path, { as: ptTeam });
      expect([path, response.status, response.body.code]).toEqual([path, 403, 'AUTH.FORBIDDEN']);
      expect((await service.http.get(path, { as: commission })).status).toBe(200);
    }
    const listed = await service.http.get<{ exports: { park: string }[] }>('/v1/exports', { as: ptTeam });
    expect(new Set(listed.body.exports.map((e) => e.park))).toEqual(new Set(['PT']));
  });

  it('lists every problem of a bad request at once', async () => {
    const response = await service.http.post<{ errors: { pointer: string; code: string }[] }>('/v1/exports', {
      as: commission,
      body: { formId: 'torch-monthly', period: '2026-13', park: 'XX', format: 'pdf', cutoff: 'yesterday' },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e) => `${e.pointer} ${e.code}`).sort()).toEqual([
      '/cutoff EXPORT.CUTOFF_INVALID',
      '/format EXPORT.FORMAT_UNKNOWN',
      '/park EXPORT.PARK_UNKNOWN',
      '/period EXPORT.PERIOD_INVALID',
    ]);
    const unknownCutoff = await service.http.post<{ errors: { code: string }[] }>('/v1/exports', {
      as: commission,
      body: {
        formId: 'torch-monthly',
        period: '2026-09',
        park: 'CORE',
        format: 'csv',
        cutoff: '00000000-0000-4000-8000-00000000beef',
      },
    });
    expect(unknownCutoff.body.errors.map((e) => e.code)).toEqual(['EXPORT.CUTOFF_UNKNOWN']);
  });

  it('reports its health: database, kafka, redis, the outbox relay', async () => {
    const health = await service.http.get<{ status: string; checks: Record<string, { status: string }> }>('/health');
    expect(health.status).toBe(200);
    expect(health.body.checks).toMatchObject({
      database: { status: 'up' },
      kafka: { status: 'up' },
      redis: { status: 'up' },
      outbox: { status: 'up', running: true },
    });
  });
});
