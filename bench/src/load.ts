import { performance } from 'node:perf_hooks';

export interface LoadResult {
  readonly requests: number;
  readonly ok: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly latenciesMs: number[];
  readonly statuses: Record<number, number>;
}

/**
 * Runs `concurrency` loops that each take the next request from `requests` until they run out (or the
 * duration passes) and records latency per request. Keep-alive HTTP via the global fetch (undici).
 */
export async function drive<T>(
  requests: Iterable<T> | (() => T),
  send: (item: T) => Promise<{ status: number }>,
  options: {
    concurrency: number;
    durationMs?: number;
    okStatus?: number;
    onDone?: (item: T, status: number, at: number) => void;
  },
): Promise<LoadResult> {
  const iterator = typeof requests === 'function' ? undefined : requests[Symbol.iterator]();
  const next = (): { item: T } | undefined => {
    if (typeof requests === 'function') return { item: requests() };
    const step = iterator!.next();
    return step.done ? undefined : { item: step.value };
  };
  const latenciesMs: number[] = [];
  const statuses: Record<number, number> = {};
  let ok = 0;
  const started = performance.now();
  const deadline = options.durationMs ? started + options.durationMs : Infinity;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (;;) {
        if (performance.now() > deadline) return;
        const entry = next();
        if (!entry) return;
        const t0 = performance.now();
        let status = 0;
        try {
          status = (await send(entry.item)).status;
        } catch {
          status = -1;
        }
        const t1 = performance.now();
        latenciesMs.push(t1 - t0);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === (options.okStatus ?? 202)) ok++;
        options.onDone?.(entry.item, status, Date.now());
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { requests: latenciesMs.length, ok, seconds, perSecond: ok / seconds, latenciesMs, statuses };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Open loop: request i is sent at start + i / perSecond whatever the answers are doing, so a slow system
 * meets the same arrivals a real season would (a closed loop slows its clients down and hides queueing).
 * `startLagMs` says how late the generator itself started requests (it shares the cores).
 */
export async function driveOpenLoop<T>(
  requests: readonly T[],
  send: (item: T) => Promise<{ status: number }>,
  options: { perSecond: number; okStatus?: number; onDone?: (item: T, status: number, at: number) => void },
): Promise<LoadResult & { offeredPerSecond: number; startLagP99Ms: number }> {
  const latenciesMs: number[] = [];
  const lags: number[] = [];
  const statuses: Record<number, number> = {};
  let ok = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < requests.length; i++) {
    const due = started + (i * 1000) / options.perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const t0 = performance.now();
    lags.push(Math.max(0, t0 - due));
    const item = requests[i]!;
    inFlight.push(
      send(item)
        .then(
          (response) => response.status,
          () => -1,
        )
        .then((status) => {
          latenciesMs.push(performance.now() - t0);
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === (options.okStatus ?? 202)) ok++;
          options.onDone?.(item, status, Date.now());
        }),
    );
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: latenciesMs.length,
    ok,
    seconds,
    perSecond: ok / seconds,
    latenciesMs,
    statuses,
    offeredPerSecond: options.perSecond,
    startLagP99Ms: percentile(lags, 99),
  };
}
