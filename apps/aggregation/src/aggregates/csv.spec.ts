import { toCsv } from './csv';

describe(toCsv.name, () => {
  it('writes RFC 4180 with a BOM and CRLF, defuses formulas and keeps numbers numbers', () => {
    const csv = toCsv(
      ['name', 'value', 'final'],
      [
        ['=HYPERLINK("http://evil","x")', '-20.5', true],
        ['+cmd', 12, false],
        ['@SUM(A1)', null, null],
        ['上海, "张江"', '1234.5', true],
      ],
    );
    expect(csv).toBe(
      '\uFEFFname,value,final\r\n' +
        '"\'=HYPERLINK(""http://evil"",""x"")",-20.5,true\r\n' +
        "'+cmd,12,false\r\n" +
        "'@SUM(A1),,\r\n" +
        '"上海, ""张江""",1234.5,true\r\n',
    );
  });
});
