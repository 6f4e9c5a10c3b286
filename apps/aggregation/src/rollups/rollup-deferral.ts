/** How long ago a park-period's pending roll-up was last and first asked for (by accepted filings). */
export interface PendingAge {
  readonly sinceLastMs: number;
  readonly sinceFirstMs: number;
}

/**
 * How much longer a provisional roll-up should wait: until the park-period has been quiet for `quietMs`,
 * but never beyond `maxDeferMs` after its first pending request. 0 = run now.
 */
export function deferralMs(age: PendingAge | undefined, limits: { quietMs: number; maxDeferMs: number }): number {
  if (!age || limits.quietMs === 0) return 0;
  const untilQuiet = limits.quietMs - age.sinceLastMs;
  const untilLimit = limits.maxDeferMs - age.sinceFirstMs;
  return Math.max(0, Math.min(untilQuiet, untilLimit));
}
