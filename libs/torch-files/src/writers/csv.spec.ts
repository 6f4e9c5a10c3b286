import { csvField, csvRecord } from './csv';

describe('csv', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['上海张江 有限公司', '上海张江 有限公司'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    [' padded ', ' padded '],
    ['=1+1', "'=1+1"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    ['-20.25', '-20.25'],
  ])('writes %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('ends every record with CRLF and keeps empty fields', () => {
    expect(csvRecord(['a', '', 'c,d'])).toBe('a,,"c,d"\r\n');
  });
});
