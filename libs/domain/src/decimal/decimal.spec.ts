import {
  divide,
  formatDecimal,
  fractionDigits,
  isDecimalText,
  isInteger,
  multiply,
  normalizeDecimal,
  parseDecimal,
  percent,
  round,
  sum,
} from './decimal';

describe('decimal', () => {
  it.each([
    ['0', '0'],
    ['-0', '0'],
    ['0012.500', '12.5'],
    ['-3.000001', '-3.000001'],
    ['123456789012345678.25', '123456789012345678.25'],
  ])('normalizes %s to %s', (input, expected) => {
    expect(normalizeDecimal(input)).toBe(expected);
  });

  it.each(['', '1e5', ' 1', '1.', '.5', '1,000', 'NaN', '1.1234567'])('rejects %j', (input) => {
    expect(() => parseDecimal(input)).toThrow('not a decimal number');
  });

  it('adds exactly where binary floats drift', () => {
    const values = Array.from({ length: 10 }, () => parseDecimal('0.1'));
    expect(formatDecimal(sum(values))).toBe('1');
    expect(0.1 * 10 === 1 && 0.1 + 0.2 !== 0.3).toBe(true);
    expect(formatDecimal(parseDecimal('0.1') + parseDecimal('0.2'))).toBe('0.3');
  });

  it('multiplies, divides and rounds half away from zero', () => {
    expect(formatDecimal(multiply(parseDecimal('1.5'), parseDecimal('-2')))).toBe('-3');
    expect(formatDecimal(divide(parseDecimal('2'), parseDecimal('3'), 2)!)).toBe('0.67');
    expect(formatDecimal(divide(parseDecimal('-1'), parseDecimal('8'), 2)!)).toBe('-0.13');
    expect(divide(parseDecimal('1'), 0n)).toBeNull();
    expect(formatDecimal(percent(parseDecimal('4'), parseDecimal('100'))!)).toBe('4');
    expect(formatDecimal(round(parseDecimal('2.345'), 2))).toBe('2.35');
    expect(formatDecimal(round(parseDecimal('-2.345'), 2))).toBe('-2.35');
  });

  it('tells integers, fraction digits and decimal text apart', () => {
    expect(isInteger(parseDecimal('12'))).toBe(true);
    expect(isInteger(parseDecimal('12.01'))).toBe(false);
    expect(fractionDigits('1.250')).toBe(3);
    expect(isDecimalText('12.5')).toBe(true);
    expect(isDecimalText('1e3')).toBe(false);
  });
});
