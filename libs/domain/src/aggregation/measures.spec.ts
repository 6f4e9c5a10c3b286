import { parseDecimal as d, formatDecimal } from '../decimal';
import { singleMonthValue } from './measures';

describe(singleMonthValue.name, () => {
  it.each([
    ['flow', 1, '100', undefined, '100'],
    ['flow', 3, '350.5', '200', '150.5'],
    ['flow', 3, '350', undefined, undefined],
    ['count', 2, '5', '3', '2'],
    ['stock', 6, '42', '40', '42'],
    ['average', 2, '15', '10', '20'],
    ['average', 1, '10', undefined, '10'],
  ] as const)('%s in month %i: YTD %s after %s → %s', (kind, month, ytd, previous, expected) => {
    const value = singleMonthValue({ kind }, month, d(ytd), previous === undefined ? undefined : d(previous));
    expect(value === undefined ? undefined : formatDecimal(value)).toBe(expected);
  });
});
