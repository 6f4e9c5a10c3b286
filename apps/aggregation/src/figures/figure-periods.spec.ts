import { keyContext, keysReading } from './figure-periods';

describe('figure periods', () => {
  const key = (period: string, formId = 'torch-monthly') => ({ uscc: '91310000TEST00001X', formId, period });

  it('a monthly fact is read by its month, the next month of the year and the same month a year later', () => {
    expect(keysReading(key('2026-03')).map((k) => k.period)).toEqual(['2026-03', '2027-03', '2026-04']);
  });

  it('December has no next month in its year; a year is read by the next year', () => {
    expect(keysReading(key('2026-12')).map((k) => k.period)).toEqual(['2026-12', '2027-12']);
    expect(keysReading(key('2025', 'torch-annual')).map((k) => k.period)).toEqual(['2025', '2026']);
  });

  it('knows the roster day and the periods a contribution is compared with', () => {
    expect(keyContext(key('2026-01'))).toMatchObject({
      periodEnd: '2026-01-31',
      month: 1,
      previous: null,
      lastYear: '2025-01',
    });
    expect(keyContext(key('2026-09'))).toMatchObject({ periodEnd: '2026-09-30', month: 9, previous: '2026-08' });
    expect(keyContext(key('2025', 'torch-annual'))).toMatchObject({ month: null, previous: null, lastYear: '2024' });
  });
});
