import { decodeUtf8, parseCsv, toCsv } from './roster-csv';

describe(parseCsv.name, () => {
  const cells = (text: string) => parseCsv(text).rows.map((row) => row.cells);

  it('splits records on CRLF, LF or CR and fields on commas, keeping empty fields', () => {
    expect(cells('a,b,c\r\n1,,3\n4,5,\r6,7,8')).toEqual([
      ['a', 'b', 'c'],
      ['1', '', '3'],
      ['4', '5', ''],
      ['6', '7', '8'],
    ]);
  });

  it('does not start another record after the final line break', () => {
    expect(cells('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(cells('')).toEqual([]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, numbering rows as a spreadsheet does', () => {
    const { rows, problems } = parseCsv(
      'name,note\r\n"上海某某科技有限公司","含,逗号"\r\n"说""明""","第一行\r\n第二行"\r\nlast,row\r\n',
    );
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { row: 1, cells: ['name', 'note'] },
      { row: 2, cells: ['上海某某科技有限公司', '含,逗号'] },
      { row: 3, cells: ['说"明"', '第一行\r\n第二行'] },
      { row: 4, cells: ['last', 'row'] },
    ]);
  });

  it('keeps an empty quoted field and a lone empty line as records', () => {
    expect(cells('""\n\na')).toEqual([[''], [''], ['a']]);
  });

  it('keeps stray quotes as text, as Excel does', () => {
    expect(cells('ab"c,"x"y,d')).toEqual([['ab"c', 'xy', 'd']]);
  });

  it('reports a quote that is never closed with the row it opened in', () => {
    const { rows, problems } = parseCsv('a,b\r\n1,"open\r\n2,3\r\n');
    expect(problems).toEqual([expect.objectContaining({ row: 2, code: 'CSV.UNTERMINATED_QUOTE' })]);
    expect(rows).toHaveLength(2);
  });
});

describe(toCsv.name, () => {
  it('quotes only what needs it and reads back the same', () => {
    const rows = [
      ['plain', 'with,comma', 'with "quote"', 'two\nlines', ' padded '],
      ['', '统一社会信用代码 uscc', 'HNTE:2024-01-01;SRDI:2025-03-01', '', ''],
    ];
    const text = toCsv(rows);
    expect(text.split('\r\n')[0]).toBe('plain,"with,comma","with ""quote""","two\nlines"," padded "');
    expect(parseCsv(text).rows.map((row) => row.cells)).toEqual(rows);
  });
});

describe(decodeUtf8.name, () => {
  it('drops the byte order mark', () => {
    expect(decodeUtf8(Buffer.from('\uFEFF统一社会信用代码,uscc', 'utf8'))).toBe('统一社会信用代码,uscc');
  });

  it('refuses bytes that are not UTF-8, such as GBK', () => {
    // "企业" in GBK
    expect(decodeUtf8(Buffer.from([0xc6, 0xf3, 0xd2, 0xb5]))).toBeUndefined();
  });
});
