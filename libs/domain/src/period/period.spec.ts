import {
  addMonths,
  isIsoDate,
  parsePeriod,
  periodBounds,
  previousMonthInYear,
  sameMonthLastYear,
  shanghaiDate,
  shanghaiEndOfDay,
  trailingMonths,
} from './period';

describe('period', () => {
  it('parses months and years and refuses other text', () => {
    expect(parsePeriod('2026-03', 'month')).toMatchObject({ year: 2026, month: 3 });
    expect(parsePeriod('2026', 'year')).toMatchObject({ year: 2026, month: 12 });
    expect(() => parsePeriod('2026-13', 'month')).toThrow('YYYY-MM');
    expect(() => parsePeriod('2026-3', 'month')).toThrow();
    expect(() => parsePeriod('26', 'year')).toThrow('YYYY');
  });

  it('restarts year-to-date in January', () => {
    expect(previousMonthInYear(parsePeriod('2026-01', 'month'))).toBeNull();
    expect(previousMonthInYear(parsePeriod('2026-02', 'month'))?.text).toBe('2026-01');
    expect(sameMonthLastYear(parsePeriod('2026-02', 'month')).text).toBe('2025-02');
  });

  it('ends a Shanghai day at 16:00 UTC', () => {
    expect(shanghaiEndOfDay('2026-04-15').toISOString()).toBe('2026-04-15T16:00:00.000Z');
    expect(shanghaiDate(new Date('2026-04-15T15:59:59.999Z'))).toBe('2026-04-15');
    expect(shanghaiDate(new Date('2026-04-15T16:00:00.000Z'))).toBe('2026-04-16');
  });

  it('counts calendar months and bounds', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(periodBounds(parsePeriod('2024-02', 'month'))).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(periodBounds(parsePeriod('2025', 'year'))).toEqual({ start: '2025-01-01', end: '2025-12-31' });
    expect(trailingMonths(parsePeriod('2026-02', 'month'), 3).map((p) => p.text)).toEqual([
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(isIsoDate('2026-02-30')).toBe(false);
  });
});
