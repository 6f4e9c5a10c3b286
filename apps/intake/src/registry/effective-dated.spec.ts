import { endOpen, supersede } from './effective-dated';

describe('effective-dated links', () => {
  it('ends an earlier open link the day before a new one starts', () => {
    const open = [{ validFrom: '2025-01-01', validTo: null as string | null }];
    expect(supersede(open, '2026-03-01')).toEqual([]);
    expect(open[0]!.validTo).toBe('2026-02-28');
  });

  it('supersedes outright a link that starts on or after the new one', () => {
    const sameDay = { validFrom: '2026-03-01', validTo: null as string | null };
    const later = { validFrom: '2026-04-01', validTo: null as string | null };
    expect(supersede([sameDay, later], '2026-03-01')).toEqual([sameDay, later]);
    expect([sameDay.validTo, later.validTo]).toEqual([null, null]);
  });

  it('ends only the open links that started by the end date', () => {
    const started = { validFrom: '2025-01-01', validTo: null as string | null };
    const future = { validFrom: '2027-01-01', validTo: null as string | null };
    expect(endOpen([started, future], '2026-06-30')).toEqual([started]);
    expect([started.validTo, future.validTo]).toEqual(['2026-06-30', null]);
  });
});
