import { formVersionFor, parsePeriod, scheduleFor } from '@huoju/domain';
import {
  daysLate,
  deadlinesOf,
  latestOpenPeriod,
  lateReceiptsPossible,
  overdueCatchUpDue,
  periodsInPlay,
  previousPeriod,
  trailingPeriods,
} from './deadline-calendar';

const october = deadlinesOf('torch-monthly', '2026-10', 9)!;
const catalogOctober = scheduleFor(formVersionFor('torch-monthly', '2026-10')!, parsePeriod('2026-10', 'month'));

describe('deadline calendar', () => {
  it('keeps the due date, the grace end and the lock date apart, and reminds at the configured hour', () => {
    expect(october.schedule).toEqual(catalogOctober);
    expect(october.schedule).toMatchObject({ dueOn: '2026-11-15', graceEndsOn: '2026-11-18', remindOn: '2026-11-12' });
    expect(october.periodEnd).toBe('2026-10-31');
    expect(october.dueSoonAt.toISOString()).toBe('2026-11-12T01:00:00.000Z');
    expect(october.schedule.dueAt.toISOString()).toBe('2026-11-15T16:00:00.000Z');
    expect(october.overdueAt.toISOString()).toBe('2026-11-18T16:00:00.000Z');
    expect(deadlinesOf('torch-monthly', '2026', 9)).toBeUndefined();
  });

  it('counts a filing on the 16th for a due date on the 15th as one day late', () => {
    expect(daysLate('2026-11-15', new Date('2026-11-15T15:59:59.999Z'))).toBe(0);
    expect(daysLate('2026-11-15', new Date('2026-11-16T00:30:00.000Z'))).toBe(1);
  });

  it('lists the periods still in play (not locked) oldest first, and the latest open period', () => {
    const now = new Date('2026-11-20T02:00:00Z');
    const monthly = periodsInPlay('torch-monthly', now, 9);
    expect(monthly.map((d) => d.period).slice(-3)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(monthly.every((d) => d.schedule.locksAt > now)).toBe(true);
    expect(periodsInPlay('torch-annual', now, 9).every((d) => d.schedule.locksAt > now)).toBe(true);
    expect(latestOpenPeriod('torch-monthly', now)).toBe('2026-10');
    expect(latestOpenPeriod('torch-annual', now)).toBe('2025');
    expect(trailingPeriods('torch-monthly', '2026-02', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(trailingPeriods('torch-annual', '2025', 2)).toEqual(['2024', '2025']);
    expect(previousPeriod('torch-monthly', '2026-01')).toBe('2025-12');
    expect(previousPeriod('torch-annual', '2026')).toBe('2025');
  });

  it('looks for late receipts from the due date until just after the lock date', () => {
    const locksAt = october.schedule.locksAt.getTime();
    expect(lateReceiptsPossible(october, new Date('2026-11-15T15:00:00Z'))).toBe(false);
    expect(lateReceiptsPossible(october, new Date('2026-11-16T01:00:00Z'))).toBe(true);
    expect(lateReceiptsPossible(october, new Date(locksAt + 60_000))).toBe(true);
    expect(lateReceiptsPossible(october, new Date(locksAt + 3 * 24 * 3600_000))).toBe(false);
  });

  it('catches up a missed overdue deadline for a while after the grace end, never before it', () => {
    expect(overdueCatchUpDue(october, new Date('2026-11-18T15:59:59Z'), 31)).toBe(false);
    expect(overdueCatchUpDue(october, new Date('2026-11-20T02:00:00Z'), 31)).toBe(true);
    expect(overdueCatchUpDue(october, new Date('2026-12-25T02:00:00Z'), 31)).toBe(false);
  });
});
