import { checkEnterpriseInput } from './enterprise-input';
import {
  ROSTER_COLUMNS,
  columnOfPointer,
  fieldOfHeader,
  normalizeDate,
  readHeader,
  readRow,
  rosterHeader,
} from './roster-columns';

describe(fieldOfHeader.name, () => {
  it.each([
    ['统一社会信用代码 uscc', 'uscc'],
    ['统一社会信用代码', 'uscc'],
    ['USCC', 'uscc'],
    ['统一社会信用代码（uscc）', 'uscc'],
    ['*统一社会信用代码\nuscc', 'uscc'],
    ['联系电话 contactPhone', 'contactPhone'],
    ['contactphone', 'contactPhone'],
    ['报表范围 scope', 'scope'],
  ])('reads %j as %s', (header, field) => {
    expect(fieldOfHeader(header)).toBe(field);
  });

  it.each(['统一社会代码', 'uscc nameZh', '备注', ''])('does not recognise %j', (header) => {
    expect(fieldOfHeader(header)).toBeUndefined();
  });
});

describe(readHeader.name, () => {
  it('finds every column of the template header', () => {
    const { header, errors } = readHeader({ row: 1, cells: ROSTER_COLUMNS.map(rosterHeader) });
    expect(errors).toEqual([]);
    expect(header.positions.get('scope')).toBe(ROSTER_COLUMNS.length - 1);
    expect(header.names.get('uscc')).toBe('统一社会信用代码 uscc');
  });

  it('lists unknown, repeated and missing columns at once, ignoring unnamed ones', () => {
    const { errors } = readHeader({ row: 3, cells: ['uscc', '企业名称', '备注', '', 'USCC'] });
    expect(errors.map((e) => `${e.row} ${e.code} ${e.column}`)).toEqual([
      '3 IMPORT.COLUMN_UNKNOWN 备注',
      '3 IMPORT.COLUMN_DUPLICATE USCC',
      ...ROSTER_COLUMNS.filter((c) => c.required && c.field !== 'uscc' && c.field !== 'nameZh').map(
        (c) => `3 IMPORT.COLUMN_MISSING ${rosterHeader(c)}`,
      ),
    ]);
  });
});

describe(readRow.name, () => {
  const { header } = readHeader({ row: 1, cells: ROSTER_COLUMNS.map(rosterHeader) });

  it('turns the template example into an enterprise that passes every check', () => {
    const row = readRow({ row: 2, cells: ROSTER_COLUMNS.map((c) => c.example) }, header);
    const checked = checkEnterpriseInput(row.raw);
    expect(checked.errors).toEqual([]);
    expect(checked.value).toMatchObject({
      parkCode: 'PT',
      carrierCode: null,
      qualifications: [
        { tag: 'HNTE', validFrom: '2024-11-20', validTo: '2027-11-19', certificateNo: 'GR202431001234' },
        { tag: 'SRDI', validFrom: '2025-03-01', validTo: null, certificateNo: null },
      ],
      industryTags: ['AI', 'IC'],
      scope: [
        { formId: 'torch-monthly', validFrom: '2025-01-01', validTo: null },
        { formId: 'torch-annual', validFrom: '2025-01-01', validTo: null },
      ],
    });
    expect(row.states).toEqual({ carrierCode: true, qualifications: true, industryTags: true, scope: true });
  });

  it('reads list cells with full-width separators and spreadsheet dates', () => {
    const cells = ROSTER_COLUMNS.map((c) => c.example);
    const at = (field: string) => ROSTER_COLUMNS.findIndex((c) => c.field === field);
    cells[at('validFrom')] = '2025/7/1';
    cells[at('qualifications')] = 'HNTE：2024年11月20日：2027.11.19；SRDI:2025-03-01::';
    cells[at('industryTags')] = 'AI，IC、BIOMED';
    cells[at('scope')] = 'torch-annual:2025-01-01:2025-12-31';
    const raw = readRow({ row: 2, cells }, header).raw;
    expect(raw).toMatchObject({
      validFrom: '2025-07-01',
      qualifications: [
        { tag: 'HNTE', validFrom: '2024-11-20', validTo: '2027-11-19', certificateNo: '' },
        { tag: 'SRDI', validFrom: '2025-03-01', validTo: '', certificateNo: '' },
      ],
      industryTags: ['AI', 'IC', 'BIOMED'],
      scope: [{ formId: 'torch-annual', validFrom: '2025-01-01', validTo: '2025-12-31' }],
    });
  });

  it('leaves the scope to the default when the cell is empty, and says which optional columns the file has', () => {
    const { header: short } = readHeader({
      row: 1,
      cells: ROSTER_COLUMNS.filter((c) => c.required).map((c) => c.field),
    });
    const row = readRow({ row: 5, cells: ROSTER_COLUMNS.filter((c) => c.required).map((c) => c.example) }, short);
    expect(row.raw.scope).toBeUndefined();
    expect(row.states).toEqual({ carrierCode: false, qualifications: false, industryTags: false, scope: false });
    expect(checkEnterpriseInput(row.raw).value.scope).toEqual([
      { formId: 'torch-monthly', validFrom: '2025-01-01', validTo: null },
      { formId: 'torch-annual', validFrom: '2025-01-01', validTo: null },
    ]);
  });
});

describe(columnOfPointer.name, () => {
  it.each([
    ['/uscc', { field: 'uscc' }],
    ['/contact/phone', { field: 'contactPhone' }],
    ['/contact/email', { field: 'contactEmail' }],
    ['/qualifications/1/validTo', { field: 'qualifications', item: 2 }],
    ['/industryTags/0', { field: 'industryTags', item: 1 }],
    ['/scope/0/formId', { field: 'scope', item: 1 }],
    ['/subParkCode', { field: 'subParkCode' }],
  ])('puts %s in %j', (pointer, column) => {
    expect(columnOfPointer(pointer)).toEqual(column);
  });

  it('maps every pointer checkEnterpriseInput gives to a column', () => {
    const { errors } = checkEnterpriseInput({ contact: {}, qualifications: [{}], industryTags: ['X'], scope: [{}] });
    for (const error of errors)
      expect(ROSTER_COLUMNS.map((c) => c.field)).toContain(columnOfPointer(error.pointer).field);
  });
});

describe(normalizeDate.name, () => {
  it.each([
    ['2025-01-01', '2025-01-01'],
    ['2025/1/1', '2025-01-01'],
    ['2025.12.3', '2025-12-03'],
    ['2025年7月1日', '2025-07-01'],
    ['20250101', '20250101'],
    ['', ''],
  ])('reads %j as %j', (text, date) => {
    expect(normalizeDate(text)).toBe(date);
  });
});
