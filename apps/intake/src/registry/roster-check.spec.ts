import type { Principal } from '@huoju/platform';
import { checkRoster, sortImportErrors } from './roster-check';
import { ROSTER_COLUMNS, rosterHeader, type RosterField } from './roster-columns';
import type { SheetRow } from './roster-csv';

const admin: Principal = { subject: 'admin', role: 'admin', scope: [] };
const example = Object.fromEntries(ROSTER_COLUMNS.map((c) => [c.field, c.example])) as Record<RosterField, string>;
const header: SheetRow = { row: 1, cells: ROSTER_COLUMNS.map(rosterHeader) };
const row = (number: number, changes: Partial<Record<RosterField, string>> = {}): SheetRow => ({
  row: number,
  cells: ROSTER_COLUMNS.map((c) => changes[c.field] ?? example[c.field]),
});

describe(checkRoster.name, () => {
  it('accepts the template example', () => {
    const sut = checkRoster([header, row(2)], admin);
    expect(sut).toMatchObject({ ok: true, errors: [], warnings: [] });
  });

  it('places each field error in its row and column, with the cell, the list item and a remedy', () => {
    const sut = checkRoster(
      [
        header,
        row(2, { contactPhone: 'abc', scope: 'torch-monthly:2025-01-01;torch-weekly:2025-01-01', subParkCode: 'CN-E' }),
      ],
      admin,
    );
    expect(sut.ok && sut.errors).toEqual([
      expect.objectContaining({
        row: 2,
        column: '联系电话 contactPhone',
        pointer: '/rows/2/contact/phone',
        code: 'CONTACT.PHONE',
        value: 'abc',
        remedyZh: expect.stringContaining('021-62345678'),
      }),
      expect.objectContaining({
        row: 2,
        column: '分园代码 subParkCode',
        pointer: '/rows/2/subParkCode',
        code: 'SUB_PARK.UNKNOWN',
        remedyZh: expect.stringContaining('PT-SUHE'),
      }),
      expect.objectContaining({
        row: 2,
        column: '报表范围 scope',
        pointer: '/rows/2/scope/1/formId',
        item: 2,
        code: 'FORM.UNKNOWN',
      }),
    ]);
  });

  it('names columns as the file does', () => {
    const sut = checkRoster(
      [{ row: 1, cells: ROSTER_COLUMNS.map((c) => c.headerZh) }, row(2, { uscc: '91310107MA1FL3XB50' })],
      admin,
    );
    expect(sut.ok && sut.errors.map((e) => `${e.column} ${e.code}`)).toEqual(['统一社会信用代码 USCC.CHECKSUM']);
  });

  it('reports a bad validFrom once, not again for the default scope it would start', () => {
    const sut = checkRoster([header, row(2, { validFrom: '2025-13-01', scope: '' })], admin);
    expect(sut.ok && sut.errors.map((e) => `${e.column} ${e.code}`)).toEqual(['生效日期 validFrom DATE.INVALID']);
  });

  it('finds the same USCC or name twice, pointing back at the first row', () => {
    const sut = checkRoster(
      [header, row(2), row(3, { nameZh: '上海另一家科技有限公司' }), row(4, { uscc: '91310107MA1FL3XB6' + 'X' })],
      admin,
    );
    const errors = sut.ok ? sut.errors.filter((e) => e.code.startsWith('IMPORT.')) : [];
    expect(errors.map((e) => `${e.row} ${e.code} ${e.messageEn}`)).toEqual([
      '3 IMPORT.DUPLICATE_USCC The USCC repeats row 2',
      '4 IMPORT.DUPLICATE_NAME The name repeats row 2',
    ]);
  });

  it('keeps a park team to its own park', () => {
    const team: Principal = { subject: 'pt', role: 'park', scope: ['PT'] };
    const sut = checkRoster(
      [
        header,
        row(2),
        row(3, {
          uscc: '',
          parkCode: 'CN',
          subParkCode: 'CN-E',
          streetCode: '310105001',
          nameZh: '上海长宁示例有限公司',
        }),
      ],
      team,
    );
    expect(
      sut.ok && sut.errors.filter((e) => e.code === 'IMPORT.PARK_OUT_OF_SCOPE').map((e) => `${e.row} ${e.column}`),
    ).toEqual(['3 园区代码 parkCode']);
  });

  it('cannot read a file without data rows or with a header it does not know', () => {
    expect(checkRoster([header, { row: 2, cells: ['', ' '] }], admin)).toMatchObject({
      ok: false,
      errors: [{ code: 'IMPORT.NO_ROWS' }],
    });
    expect(checkRoster([{ row: 1, cells: ['uscc'] }, row(2)], admin)).toMatchObject({
      ok: false,
      errors: expect.arrayContaining([expect.objectContaining({ code: 'IMPORT.COLUMN_MISSING' })]),
    });
  });

  it('takes the first non-empty row as the header and keeps the sheet’s row numbers', () => {
    const sut = checkRoster([{ row: 1, cells: [''] }, { ...header, row: 3 }, row(7, { contactEmail: 'x' })], admin);
    expect(sut.ok && sut.errors.map((e) => e.row)).toEqual([7]);
  });
});

describe(sortImportErrors.name, () => {
  it('orders by row, then by column as the template orders them', () => {
    const error = (row: number, pointer: string) => ({
      row,
      pointer,
      column: '',
      code: 'X',
      messageZh: '',
      messageEn: '',
    });
    expect(
      sortImportErrors([
        error(3, '/rows/3/uscc'),
        error(2, '/rows/2/scope/0/formId'),
        error(2, '/rows/2/contact/email'),
        error(2, '/rows/2/uscc'),
      ]).map((e) => e.pointer),
    ).toEqual(['/rows/2/uscc', '/rows/2/contact/email', '/rows/2/scope/0/formId', '/rows/3/uscc']);
  });
});
