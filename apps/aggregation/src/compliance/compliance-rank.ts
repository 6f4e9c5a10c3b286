/** One street or park with its counts for a period, as ranked. */
export interface RankedUnit {
  readonly code: string;
  readonly expected: number;
  readonly filed: number;
  readonly filedOnTime: number;
}

export interface Rank {
  /** 1 = the best filing rate; units with equal rates share a place (1, 2, 2, 4). */
  readonly position: number;
  readonly of: number;
}

/**
 * The unit's place among others by filing rate, then on-time rate. Rates are compared as exact fractions
 * (cross-multiplied integers), so 1/3 and 2/6 tie and no rounding decides a place. Units expecting nothing are
 * not ranked; undefined when the unit itself is not among the ranked.
 */
export function rankAmong(units: readonly RankedUnit[], code: string): Rank | undefined {
  const ranked = units.filter((unit) => unit.expected > 0);
  const self = ranked.find((unit) => unit.code === code);
  if (!self) return undefined;
  const better = ranked.filter((other) => compare(other, self) > 0).length;
  return { position: better + 1, of: ranked.length };
}

/** > 0 when a did better than b. */
function compare(a: RankedUnit, b: RankedUnit): number {
  const byFiled = a.filed * b.expected - b.filed * a.expected;
  return byFiled !== 0 ? byFiled : a.filedOnTime * b.expected - b.filedOnTime * a.expected;
}
