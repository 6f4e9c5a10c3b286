import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { formVersionFor, parsePeriod } from '@huoju/domain';
import { writeExportFile, type ExportFileResult } from './export-pipeline';
import type { ExportRow, ExportSubject } from './writers';
import type { ExportFormat } from './formats';

const form = formVersionFor('torch-monthly', '2026-09')!;
const subject: ExportSubject = { form, period: parsePeriod('2026-09', 'month'), park: 'CORE' };
const TIME = new Date('2026-10-08T02:00:00.000Z');

const rows: ExportRow[] = [
  {
    uscc: '91310115MA1K00001A',
    nameZh: '上海张江"芯"科技有限公司',
    parkCode: 'CORE',
    subParkCode: 'CORE-ZJ',
    streetCode: '310115125',
    industryCode: 'C3973',
    registryVersion: 2,
    filingId: '00000000-0000-4000-8000-000000000001',
    revision: 2,
    verdict: 1,
    contentSha256: '1'.repeat(64),
    validatedAt: '2026-10-08T02:00:00.000Z',
    values: { qc05_0: '1200.5', qd01: '35', qj20: '1234567890123456.5' },
    previousValues: { qc05_0: '1000', qd01: '30', qj20: '1234567890123000' },
  },
  {
    uscc: '91310115MA1K00002B',
    nameZh: '上海康桥生物医药有限公司',
    parkCode: 'CORE',
    subParkCode: 'CORE-KQ',
    streetCode: '310115136',
    industryCode: 'C2761',
    registryVersion: 1,
    filingId: '00000000-0000-4000-8000-000000000002',
    revision: 1,
    verdict: 1,
    contentSha256: '2'.repeat(64),
    validatedAt: '2026-10-05T01:00:00.000Z',
    values: { qc05_0: '0.1', qc12: '-20.25', qd01: '12' },
    previousValues: null,
  },
];

async function* batches(): AsyncGenerator<ExportRow[]> {
  yield [rows[0]!];
  yield [rows[1]!];
}

describe(writeExportFile.name, () => {
  let dir: string;
  const written: ExportFileResult[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'torch-export-'));
  });
  afterAll(async () => {
    for (const result of written) await result.provenance.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function write(
    format: ExportFormat,
    name: string,
    time = TIME,
  ): Promise<{ path: string; result: ExportFileResult }> {
    const path = join(dir, name);
    const result = await writeExportFile({ format, subject, filename: path, time, batches: batches() });
    written.push(result);
    return { path, result };
  }

  it('writes the Torch workbook: enterprises, a summary per park, receipts', async () => {
    const { path, result } = await write('xlsx', 'a.xlsx');
    expect(result.counts).toEqual({ enterprises: 2, summaryRows: 8, receipts: 2 });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['企业明细', '汇总 CORE', '回执']);

    const sheet = workbook.getWorksheet('企业明细')!;
    expect(sheet.getRow(1).getCell(10).value).toBe('营业收入 qc05_0（千元）');
    expect((sheet.getRow(2).values as unknown[]).slice(1, 10)).toEqual([
      '91310115MA1K00001A',
      '上海张江"芯"科技有限公司',
      'CORE',
      '核心园（张江科学城）',
      'CORE-ZJ',
      '张江高科片区',
      '310115125',
      '张江镇',
      'C3973',
    ]);
    const column = (code: string) => 10 + form.indicators.findIndex((indicator) => indicator.code === code);
    expect(sheet.getRow(2).getCell(column('qc05_0')).value).toBe(1200.5);
    expect(sheet.getRow(2).getCell(column('qj20')).value).toBe('1234567890123456.5');
    expect(sheet.getRow(2).getCell(column('qc55')).value).toBeNull();
    expect(sheet.getRow(3).getCell(column('qc12')).value).toBe(-20.25);

    const summary = workbook.getWorksheet('汇总 CORE')!;
    expect(summary.getRow(2).getCell(5).value).toBe('1—N月累计 YTD');
    const total = summary.getRow(10);
    expect([total.getCell(1).value, total.getCell(2).value, total.getCell(3).value, total.getCell(4).value]).toEqual([
      'CORE',
      '_T',
      '合计 核心园（张江科学城）',
      2,
    ]);
    expect(total.getCell(4 + 1 + form.indicators.findIndex((i) => i.code === 'qc05_0')).value).toBe(1200.6);
    expect(total.getCell(4 + 1 + form.indicators.findIndex((i) => i.code === 'qd01')).value).toBe(47);

    const receipts = workbook.getWorksheet('回执')!;
    expect((receipts.getRow(2).values as unknown[]).slice(1)).toEqual([
      '91310115MA1K00001A',
      '上海张江"芯"科技有限公司',
      '00000000-0000-4000-8000-000000000001',
      2,
      1,
      '1'.repeat(64),
      '2026-10-08T02:00:00.000Z',
      2,
    ]);
    expect(workbook.created).toEqual(TIME);
    expect(workbook.modified).toEqual(TIME);
  });

  it('writes the same workbook bytes whatever the clock says, and other bytes for another cut-off time', async () => {
    jest.useFakeTimers({
      now: new Date('2031-01-01T00:00:00Z'),
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'setInterval',
        'clearTimeout',
        'clearInterval',
        'clearImmediate',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    try {
      const first = await write('xlsx', 'b.xlsx');
      jest.setSystemTime(new Date('2042-06-15T13:14:15Z'));
      const second = await write('xlsx', 'c.xlsx');
      expect(second.result.sha256).toBe(first.result.sha256);
      expect(await readFile(second.path)).toEqual(await readFile(first.path));
      const later = await write('xlsx', 'd.xlsx', new Date('2026-10-09T00:00:00.000Z'));
      expect(later.result.sha256).not.toBe(first.result.sha256);
    } finally {
      jest.useRealTimers();
    }
  });

  it('writes the CSV: BOM, Chinese headers with codes and units, RFC 4180 quoting, exact decimals', async () => {
    const { path } = await write('csv', 'a.csv');
    const text = await readFile(path, 'utf8');
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
    ].join(',');
    const values = (filled: Record<string, string>) => form.indicators.map((i) => filled[i.code] ?? '').join(',');
    expect(text).toBe(
      '\uFEFF' +
        `${header}\r\n` +
        `91310115MA1K00001A,"上海张江""芯""科技有限公司",CORE,核心园（张江科学城）,CORE-ZJ,张江高科片区,310115125,张江镇,C3973,${values({ qc05_0: '1200.5', qd01: '35', qj20: '1234567890123456.5' })}\r\n` +
        `91310115MA1K00002B,上海康桥生物医药有限公司,CORE,核心园（张江科学城）,CORE-KQ,康桥片区,310115136,康桥镇,C2761,${values({ qc05_0: '0.1', qc12: '-20.25', qd01: '12' })}\r\n`,
    );
  });

  it('writes the aggregates as SDMX-CSV 2.0, single months only where they can be derived', async () => {
    const { path, result } = await write('sdmx-csv', 'a.sdmx.csv');
    const lines = (await readFile(path, 'utf8')).split('\r\n');
    expect(lines[0]).toBe('STRUCTURE,STRUCTURE_ID,ACTION,PARK,SUB_PARK,TIME_PERIOD,INDICATOR,MEASURE,OBS_VALUE');
    const flow = 'dataflow,HUOJU:TORCH_MONTHLY(1.0),I,CORE';
    expect(lines.slice(1)).toEqual([
      `${flow},CORE-ZJ,2026-09,qc05_0,YTD,1200.5`,
      `${flow},CORE-ZJ,2026-09,qc05_0,M,200.5`,
      `${flow},CORE-ZJ,2026-09,qd01,YTD,35`,
      `${flow},CORE-ZJ,2026-09,qd01,M,35`,
      `${flow},CORE-ZJ,2026-09,qj20,YTD,1234567890123456.5`,
      `${flow},CORE-ZJ,2026-09,qj20,M,456.5`,
      `${flow},CORE-KQ,2026-09,qc05_0,YTD,0.1`,
      `${flow},CORE-KQ,2026-09,qc12,YTD,-20.25`,
      `${flow},CORE-KQ,2026-09,qd01,YTD,12`,
      `${flow},CORE-KQ,2026-09,qd01,M,12`,
      `${flow},_T,2026-09,qc05_0,YTD,1200.6`,
      `${flow},_T,2026-09,qc12,YTD,-20.25`,
      `${flow},_T,2026-09,qd01,YTD,47`,
      `${flow},_T,2026-09,qd01,M,47`,
      `${flow},_T,2026-09,qj20,YTD,1234567890123456.5`,
      `${flow},_T,2026-09,qj20,M,456.5`,
      '',
    ]);
    expect(result.counts).toEqual({ enterprises: 2, observations: 16 });
  });

  it('states the cut-off: filings, their digest and the newest verdict; and refuses rows out of USCC order', async () => {
    const { result } = await write('csv', 'b.csv');
    expect(result.cutoff).toMatchObject({ filings: 2, newestValidatedAt: '2026-10-08T02:00:00.000Z' });
    expect(result.cutoff.includedSha256).toMatch(/^[0-9a-f]{64}$/);
    const entries = [];
    for await (const entry of result.provenance.entries()) entries.push(entry.filingId);
    expect(entries).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']);

    async function* reversed(): AsyncGenerator<ExportRow[]> {
      yield [rows[1]!, rows[0]!];
    }
    for (const format of ['csv', 'xlsx', 'sdmx-csv'] as const) {
      await expect(
        writeExportFile({ format, subject, filename: join(dir, `bad.${format}`), time: TIME, batches: reversed() }),
      ).rejects.toThrow(/out of order/);
    }
    // Nothing half-written is left behind.
    expect((await readdir(dir)).filter((name) => name.startsWith('bad'))).toEqual([]);
  });

  it('defuses names a spreadsheet would run as formulas in every format, and keeps numbers numbers', async () => {
    const hostile = ['=HYPERLINK("http://evil","x")', '+cmd', '@SUM(A1)', "-2+3+cmd|' /C calc'!A0", '＝1+1'];
    const hostileRows = hostile.map((nameZh, index) => ({
      ...rows[1]!,
      uscc: `91310115MA1K0001${index}X`,
      nameZh,
      filingId: `00000000-0000-4000-8000-00000000010${index}`,
    }));
    async function* hostileBatches(): AsyncGenerator<ExportRow[]> {
      yield hostileRows;
    }
    for (const format of ['csv', 'xlsx', 'sdmx-csv'] as const) {
      const path = join(dir, `formula.${format}`);
      const result = await writeExportFile({ format, subject, filename: path, time: TIME, batches: hostileBatches() });
      written.push(result);
      if (format === 'xlsx') {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.readFile(path);
        const names = (sheet: string, column: number) =>
          hostile.map(
            (_, index) =>
              workbook
                .getWorksheet(sheet)!
                .getRow(index + 2)
                .getCell(column).value,
          );
        expect(names('企业明细', 2)).toEqual(hostile.map((name) => `'${name}`));
        expect(names('回执', 2)).toEqual(hostile.map((name) => `'${name}`));
        const qc12 = 10 + form.indicators.findIndex((indicator) => indicator.code === 'qc12');
        expect(workbook.getWorksheet('企业明细')!.getRow(2).getCell(qc12).value).toBe(-20.25);
      } else {
        const text = await readFile(path, 'utf8');
        for (const name of hostile) expect(text).not.toMatch(new RegExp(`(^|,|")${escape(name)}`, 'm'));
        if (format === 'csv') {
          for (const name of hostile) expect(text).toContain(`'${name.replace(/"/g, '""')}`);
          expect(text).toContain(',-20.25,');
        }
      }
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
