/** How long ago a park-period's pending roll-up was last and first asked for (by accepted filings). */
export interface PendingAge {
  readonly sinceLastMs: number;
  readonly sinceFirstMs: number;
  /** Whether deltas already maintain the park-period's figures (figure_scope); until then it has none. */
  readonly maintained: boolean;
}

/**
 * How much longer a provisional roll-up should wait: until the park-period has been quiet for `quietMs`,
 * but never beyond `maxDeferMs` after its first pending request. 0 = run now, as for a park-period not yet
 * maintained: its figures exist only once this roll-up has run.
 */
export function deferralMs(age: PendingAge | undefined, limits: { quietMs: number; maxDeferMs: number }): number {
  if (!age || limits.quietMs === 0 || !age.maintained) return 0;
  const untilQuiet = limits.quietMs - age.sinceLastMs;
  const untilLimit = limits.maxDeferMs - age.sinceFirstMs;
  return Math.max(0, Math.min(untilQuiet, untilLimit));
}
