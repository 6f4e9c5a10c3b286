import { byWorkQueue, emptyCounts, evaluateRate, rate, ratesOf, type ComplianceStatus } from './compliance-status';

describe('compliance status', () => {
  it('orders the work queue overdue first, then not filed, needs explanation, rejected, late', () => {
    const row = (status: ComplianceStatus, nameZh = '甲') => ({ status, nameZh, uscc: nameZh });
    const sorted = [
      row('filed-late'),
      row('rejected'),
      row('not-filed', '乙'),
      row('needs-explanation'),
      row('overdue'),
      row('not-filed', '甲'),
    ].sort(byWorkQueue);
    expect(sorted.map((r) => `${r.status}:${r.nameZh}`)).toEqual([
      'overdue:甲',
      'not-filed:甲',
      'not-filed:乙',
      'needs-explanation:甲',
      'rejected:甲',
      'filed-late:甲',
    ]);
  });

  it('counts late filings as filed but not on time, and rounds rates half up to 2 places', () => {
    const counts = { ...emptyCounts(), 'filed-on-time': 1, 'filed-late': 1, overdue: 1 };
    expect(ratesOf(counts)).toEqual({
      expected: 3,
      filed: 2,
      filedOnTime: 1,
      filingRate: '66.67',
      onTimeRate: '33.33',
    });
    expect(rate(0, 0)).toBeNull();
    expect(rate(1, 8)).toBe('12.5');
  });

  it('notices a unit below the threshold once, then a second time in the next consecutive period', () => {
    expect(evaluateRate(9, 10, '90', 0)).toEqual({ below: false, consecutiveBelow: 0, notice: null });
    // 899/1000 = 89.9%: compared exactly, never rounded up to 90 first.
    expect(evaluateRate(899, 1000, '90', 0)).toEqual({ below: true, consecutiveBelow: 1, notice: 'first-notice' });
    expect(evaluateRate(8, 10, '90', 1)).toEqual({ below: true, consecutiveBelow: 2, notice: 'second-notice' });
    expect(evaluateRate(0, 0, '90', 3)).toEqual({ below: false, consecutiveBelow: 0, notice: null });
  });
});
