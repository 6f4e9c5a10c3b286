import { Inject, Injectable } from '@nestjs/common';
import { AGGREGATION_CONFIG, type AggregationConfig } from '../aggregation.config';

/**
 * Spaces out the provisional roll-ups of a busy park: while filings stream in, a park's period is rolled up
 * again no sooner than a few times its last roll-up took, so that roll-ups of large parks cannot eat the
 * capacity the filings need. Final and on-demand roll-ups are not paced.
 */
@Injectable()
export class RollupPacer {
  private static readonly SPACING = 4;
  private static readonly MAX_DELAY_MS = 60_000;
  /** The figures are current by their deltas; a provisional roll-up only reconciles, so it waits longer. */
  private static readonly RECONCILE_FACTOR = 5;
  private static readonly ACTIVE_WINDOW_MS = 60_000;
  private readonly lastDurationMs = new Map<string, number>();
  private readonly lastRunAt = new Map<string, number>();

  constructor(@Inject(AGGREGATION_CONFIG) private readonly config: AggregationConfig) {}

  record(parkCode: string, formId: string, period: string, durationMs: number): void {
    const key = `${formId}:${period}:${parkCode}`;
    this.lastDurationMs.set(key, durationMs);
    this.lastRunAt.set(key, Date.now());
  }

  /**
   * The park waits SPACING times its last roll-up for every park rolled up in the last minute: with many
   * parks busy, each one's share of the roll-up worker shrinks, and roll-ups stay a bounded share of the CPU.
   */
  delayFor(parkCode: string, formId: string, period: string): number {
    const last = this.lastDurationMs.get(`${formId}:${period}:${parkCode}`) ?? 0;
    const since = Date.now() - RollupPacer.ACTIVE_WINDOW_MS;
    const active = Math.max(1, [...this.lastRunAt.values()].filter((at) => at >= since).length);
    return Math.min(
      Math.max(this.config.ROLLUP_DEBOUNCE_MS * RollupPacer.RECONCILE_FACTOR, last * RollupPacer.SPACING * active),
      RollupPacer.MAX_DELAY_MS,
    );
  }
}
