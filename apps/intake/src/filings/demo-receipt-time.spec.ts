import { receiptTime } from './demo-receipt-time';

describe(receiptTime.name, () => {
  const now = new Date('2026-11-20T02:00:00.000Z');

  it('is the clock unless backdating is on', () => {
    expect(receiptTime(now, '2026-10-10T02:00:00.000Z', 'off')).toBe(now);
    expect(receiptTime(now, undefined, 'on')).toBe(now);
  });

  it('takes a past demo time when backdating is on', () => {
    expect(receiptTime(now, '2026-10-10T02:00:00.000Z', 'on').toISOString()).toBe('2026-10-10T02:00:00.000Z');
  });

  it('never moves a receipt into the future', () => {
    expect(receiptTime(now, '2026-12-01T00:00:00.000Z', 'on')).toBe(now);
    expect(receiptTime(now, 'not a time', 'on')).toBe(now);
  });
});
