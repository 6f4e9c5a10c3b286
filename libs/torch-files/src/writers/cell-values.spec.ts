import { formVersionFor } from '@huoju/domain';
import { indicatorHeader, measureLabel, xlsxDecimal } from './cell-values';

describe(xlsxDecimal.name, () => {
  it.each([
    ['1200.5', 1200.5],
    ['0012.500', 12.5],
    ['-20', -20],
    ['0', 0],
    ['-0', 0],
    ['-0.0', 0],
    ['10.0', 10],
    ['0.001', 0.001],
    ['123456789012.345', 123456789012.345],
    ['999999999999999', 999999999999999],
  ])('writes %s as the number %d (the double prints back as the same decimal)', (text, expected) => {
    expect(xlsxDecimal(text)).toBe(expected);
  });

  it.each([
    ['1234567890123456', '1234567890123456'],
    ['12345678901234.567', '12345678901234.567'],
    ['9007199254740993', '9007199254740993'],
  ])('keeps %s as text: more than 15 significant digits would not survive Excel', (text, expected) => {
    expect(xlsxDecimal(text)).toBe(expected);
  });
});

describe('headers', () => {
  const monthly = formVersionFor('torch-monthly', '2026-09')!;
  const annual = formVersionFor('torch-annual', '2025')!;

  it('names an indicator column in Chinese with its code and unit', () => {
    expect(indicatorHeader(monthly.indicators[0]!)).toBe('营业收入 qc05_0（千元）');
    expect(indicatorHeader(monthly.indicators.find((i) => i.code === 'qd01')!)).toBe('从业人员期末人数 qd01（人）');
  });

  it('states the measure of each kind of indicator', () => {
    const byCode = (form: typeof monthly, code: string) => form.indicators.find((i) => i.code === code)!;
    expect(measureLabel(byCode(monthly, 'qc05_0'), monthly)).toBe('1—N月累计 YTD');
    expect(measureLabel(byCode(monthly, 'qd01'), monthly)).toBe('期末数 end of month');
    expect(measureLabel(byCode(annual, 'qd05'), annual)).toBe('全年平均 year average');
    expect(measureLabel(byCode(annual, 'qc24'), annual)).toBe('年末数 end of year');
  });
});
