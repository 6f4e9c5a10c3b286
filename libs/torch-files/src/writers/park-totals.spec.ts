import { formatDecimal, formVersionFor, parsePeriod } from '@huoju/domain';
import type { ExportRow } from './export-row';
import { ParkTotals, TOTAL } from './park-totals';

function row(
  uscc: string,
  subParkCode: string,
  values: Record<string, string>,
  previousValues?: Record<string, string> | null,
): ExportRow {
  return {
    uscc,
    nameZh: uscc,
    parkCode: 'CORE',
    subParkCode,
    streetCode: null,
    industryCode: 'I6513',
    registryVersion: 1,
    filingId: `f-${uscc}`,
    revision: 1,
    verdict: 1,
    contentSha256: 'a'.repeat(64),
    validatedAt: '2026-10-08T02:00:00.000Z',
    values,
    ...(previousValues === undefined ? {} : { previousValues }),
  };
}

const text = (value: bigint | null | undefined) =>
  value === undefined ? 'absent' : value === null ? 'incomplete' : formatDecimal(value);

describe(ParkTotals.name, () => {
  const form = formVersionFor('torch-monthly', '2026-09')!;
  const index = (code: string) => form.indicators.findIndex((indicator) => indicator.code === code);

  it('sums year-to-date flows and period-end stocks exactly, per sub-park and for the park', () => {
    const sut = new ParkTotals(form, parsePeriod('2026-09', 'month'), false);
    sut.add(row('A', 'CORE-ZJ', { qc05_0: '0.1', qd01: '10' }));
    sut.add(row('B', 'CORE-ZJ', { qc05_0: '0.2', qd01: '5' }));
    sut.add(row('C', 'CORE-KQ', { qc05_0: '1000000000000.001' }));
    const rows = sut.rowsOf('CORE');
    const zj = rows.find((r) => r.subParkCode === 'CORE-ZJ')!;
    const total = rows.at(-1)!;
    expect(total.subParkCode).toBe(TOTAL);
    expect([text(zj.ytd[index('qc05_0')]), text(zj.ytd[index('qd01')]), zj.enterprises]).toEqual(['0.3', '15', 2]);
    expect([text(total.ytd[index('qc05_0')]), text(total.ytd[index('qd01')]), total.enterprises]).toEqual([
      '1000000000000.301',
      '15',
      3,
    ]);
    expect(text(total.ytd[index('qj20')])).toBe('absent');
    // Every reference sub-park is listed, in reference order, then the total.
    expect(rows.map((r) => r.subParkCode)).toEqual([
      'CORE-ZJ',
      'CORE-KQ',
      'CORE-ZP',
      'CORE-HQ',
      'CORE-TZ',
      'CORE-LYL',
      'CORE-YQ',
      TOTAL,
    ]);
  });

  it('derives the single month per enterprise before summing, and withholds a month it cannot derive', () => {
    const sut = new ParkTotals(form, parsePeriod('2026-09', 'month'), true);
    sut.add(row('A', 'CORE-ZJ', { qc05_0: '300', qd01: '10', qj55: '4' }, { qc05_0: '200', qd01: '8', qj55: '1' }));
    sut.add(row('B', 'CORE-ZJ', { qc05_0: '50', qd01: '5' }, null));
    sut.add(row('C', 'CORE-KQ', { qc05_0: '70' }, { qc05_0: '20' }));
    const [zj, kq] = sut.rowsOf('CORE');
    const total = sut.rowsOf('CORE').at(-1)!;
    expect(text(zj!.month[index('qc05_0')])).toBe('incomplete');
    expect(text(zj!.month[index('qd01')])).toBe('15');
    expect(text(zj!.month[index('qj55')])).toBe('3');
    expect(text(kq!.month[index('qc05_0')])).toBe('50');
    expect(text(total.month[index('qc05_0')])).toBe('incomplete');
    expect(text(total.ytd[index('qc05_0')])).toBe('420');
  });

  it('takes January as its own month', () => {
    const sut = new ParkTotals(form, parsePeriod('2026-01', 'month'), true);
    sut.add(row('A', 'CORE-ZJ', { qc05_0: '30' }, null));
    expect(text(sut.rowsOf('CORE')[0]!.month[index('qc05_0')])).toBe('30');
  });

  it('lists parks in reference order', () => {
    const sut = new ParkTotals(form, parsePeriod('2026-09', 'month'), false);
    sut.add({ ...row('B', 'PT-SUHE', {}), parkCode: 'PT' });
    sut.add(row('A', 'CORE-ZJ', {}));
    expect(sut.parkCodes()).toEqual(['CORE', 'PT']);
  });
});
