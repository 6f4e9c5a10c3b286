import { deferralMs } from './rollup-deferral';

const limits = { quietMs: 3000, maxDeferMs: 120_000 };

describe(deferralMs.name, () => {
  it('runs at once when nothing is pending or deferral is off', () => {
    expect(deferralMs(undefined, limits)).toBe(0);
    expect(deferralMs({ sinceLastMs: 0, sinceFirstMs: 0, maintained: true }, { ...limits, quietMs: 0 })).toBe(0);
  });

  it('waits until the park-period has been quiet long enough', () => {
    expect(deferralMs({ sinceLastMs: 1000, sinceFirstMs: 5000, maintained: true }, limits)).toBe(2000);
    expect(deferralMs({ sinceLastMs: 3000, sinceFirstMs: 5000, maintained: true }, limits)).toBe(0);
  });

  it('runs at once for a park-period not yet maintained: its figures start with this roll-up', () => {
    expect(deferralMs({ sinceLastMs: 100, sinceFirstMs: 100, maintained: false }, limits)).toBe(0);
  });

  it('never waits past the limit from the first pending request', () => {
    expect(deferralMs({ sinceLastMs: 100, sinceFirstMs: 119_000, maintained: true }, limits)).toBe(1000);
    expect(deferralMs({ sinceLastMs: 100, sinceFirstMs: 130_000, maintained: true }, limits)).toBe(0);
  });
});
