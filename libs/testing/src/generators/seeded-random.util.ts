// A small seeded PRNG (mulberry32) so generated fixtures are reproducible: same seed, same data.

export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks an index with probability proportional to its weight. */
  weightedIndex(cumulativeWeights: readonly number[]): number;
  /** A fresh 32-bit seed for a sub-stream. */
  seed(): number;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (maxExclusive: number): number => Math.floor(next() * maxExclusive);
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('Cannot pick from an empty list');
      return items[int(items.length)];
    },
    weightedIndex: (cumulativeWeights) => {
      const total = cumulativeWeights.at(-1) ?? 0;
      const target = next() * total;
      // Binary search: the first index whose cumulative weight exceeds the target.
      let low = 0;
      let high = cumulativeWeights.length - 1;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((cumulativeWeights[mid] ?? 0) > target) high = mid;
        else low = mid + 1;
      }
      return low;
    },
    seed: () => (next() * 4294967296) >>> 0,
  };
}

/** Running totals of weights, for `weightedIndex`. */
export function cumulative(weights: readonly number[]): number[] {
  let total = 0;
  return weights.map((weight) => (total += weight));
}
