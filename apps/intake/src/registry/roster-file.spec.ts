import { Workbook } from 'exceljs';
import { ROSTER_COLUMNS, rosterHeader } from './roster-columns';
import { formatOfMediaType, readRosterSheet, rosterTemplate } from './roster-file';
import { cellText } from './roster-xlsx';
import { xlsxBomb } from '../../test/zip-bomb.fixture';

describe(readRosterSheet.name, () => {
  it('reads back both templates: the header and the example row', async () => {
    for (const format of ['csv', 'xlsx'] as const) {
      const { rows, errors } = await readRosterSheet(await rosterTemplate(format), format);
      expect(errors).toEqual([]);
      expect(rows).toEqual([
        { row: 1, cells: ROSTER_COLUMNS.map(rosterHeader) },
        { row: 2, cells: ROSTER_COLUMNS.map((column) => column.example) },
      ]);
    }
  });

  it('reads what a person typed into Excel: dates, numbers, rich text and formulas, with the sheet’s row numbers', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('名录');
    sheet.getRow(1).values = ['uscc', 'registeredDistrict', 'validFrom', 'nameZh', 'contactName'];
    sheet.getRow(4).values = [
      '91310107MA1FL3XB5X',
      310107,
      new Date(Date.UTC(2025, 6, 1)),
      { richText: [{ text: '上海' }, { text: '示例' }] },
      { formula: 'A1', result: '张明' },
    ];
    sheet.getCell('C4').numFmt = 'yyyy/m/d';
    workbook.addWorksheet('说明').getCell('A1').value = 'notes are ignored';
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const { rows } = await readRosterSheet(bytes, 'xlsx');
    expect(rows).toEqual([
      { row: 1, cells: ['uscc', 'registeredDistrict', 'validFrom', 'nameZh', 'contactName'] },
      { row: 4, cells: ['91310107MA1FL3XB5X', '310107', '2025-07-01', '上海示例', '张明'] },
    ]);
  });

  it('stops at the row limit', async () => {
    const csv = Buffer.from('uscc\n1\n2\n3\n');
    expect((await readRosterSheet(csv, 'csv', 2)).errors.map((e) => e.code)).toEqual(['IMPORT.TOO_MANY_ROWS']);
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('名录');
    for (let row = 1; row <= 5; row++) sheet.addRow([`r${row}`]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    expect((await readRosterSheet(xlsx, 'xlsx', 2)).errors.map((e) => e.code)).toEqual(['IMPORT.TOO_MANY_ROWS']);
  });

  it('stops a CSV of 20 MB of line breaks at the row limit, without building a row per line', async () => {
    const csv = Buffer.alloc(20 * 1024 * 1024, '\n');
    const before = process.memoryUsage().heapUsed;
    const { rows, errors } = await readRosterSheet(csv, 'csv');
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
    expect(rows).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code: 'IMPORT.TOO_MANY_ROWS', row: 50_002 })]);
  });

  it('refuses a row with too many filled columns and a cell longer than Excel allows, naming the row', async () => {
    const wide = Buffer.from(`uscc\n${'a,'.repeat(64)}a\n`);
    expect((await readRosterSheet(wide, 'csv')).errors).toEqual([
      expect.objectContaining({ code: 'IMPORT.TOO_MANY_COLUMNS', row: 2, messageEn: expect.stringContaining('64') }),
    ]);
    // Empty cells past the limit (a trailing run of commas) are not a reason to refuse.
    expect((await readRosterSheet(Buffer.from(`uscc${','.repeat(200)}\n`), 'csv')).errors).toEqual([]);
    const long = Buffer.from(`uscc\n1\n"${'x'.repeat(32_768)}"\n`);
    expect((await readRosterSheet(long, 'csv')).errors).toEqual([
      expect.objectContaining({ code: 'IMPORT.CELL_TOO_LONG', row: 3, messageZh: expect.stringContaining('第3行') }),
    ]);
    const workbook = new Workbook();
    workbook.addWorksheet('名录').addRow(Array.from({ length: 70 }, (_, index) => `c${index}`));
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    expect((await readRosterSheet(xlsx, 'xlsx')).errors).toEqual([
      expect.objectContaining({ code: 'IMPORT.TOO_MANY_COLUMNS', row: 1 }),
    ]);
  });

  it('refuses a zip-bomb XLSX before exceljs caches its shared strings', async () => {
    const bomb = await xlsxBomb(await rosterTemplate('xlsx'), 300);
    const before = process.memoryUsage().heapUsed;
    const { rows, errors } = await readRosterSheet(bomb, 'xlsx');
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
    expect(rows).toEqual([]);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'IMPORT.FILE_TOO_LARGE', value: 'xl/sharedStrings.xml', row: 1 }),
    ]);
  });

  it('says why a file cannot be read', async () => {
    const xlsx = await rosterTemplate('xlsx');
    const cases: [Buffer, 'csv' | 'xlsx', string][] = [
      [Buffer.from([0xc6, 0xf3, 0xd2, 0xb5, 0x2c]), 'csv', 'UTF-8'],
      [xlsx, 'csv', 'XLSX'],
      [Buffer.from('uscc,nameZh\n'), 'xlsx', 'XLSX'],
      [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]), 'xlsx', '.xls'],
      [xlsx.subarray(0, 200), 'xlsx', '损坏'],
    ];
    for (const [bytes, format, hint] of cases) {
      const { errors } = await readRosterSheet(bytes, format);
      expect(errors).toEqual([
        expect.objectContaining({ row: 1, code: 'IMPORT.FILE_UNREADABLE', messageZh: expect.stringContaining(hint) }),
      ]);
    }
  });
});

describe(formatOfMediaType.name, () => {
  it('accepts the two media types with parameters, nothing else', () => {
    expect(formatOfMediaType('text/csv; charset=utf-8')).toBe('csv');
    expect(formatOfMediaType('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe('xlsx');
    expect(formatOfMediaType('application/json')).toBeUndefined();
    expect(formatOfMediaType(undefined)).toBeUndefined();
  });
});

describe(cellText.name, () => {
  it('shows cells as a person sees them', () => {
    expect(cellText(13812345678)).toBe('13812345678');
    expect(cellText(1.5)).toBe('1.5');
    expect(cellText(null)).toBe('');
    expect(cellText({ error: '#N/A' })).toBe('#N/A');
    expect(cellText({ text: 'a@b.cn', hyperlink: 'mailto:a@b.cn' })).toBe('a@b.cn');
    expect(cellText({ formula: 'TODAY()', result: new Date(Date.UTC(2026, 0, 2)) })).toBe('2026-01-02');
  });
});
