import type { Client } from 'pg';
import { percentile } from './load';

export interface VisibilityResult {
  /** Sampled revisions (the caller samples filings without warnings: a warning keeps one out of the figures). */
  readonly sampled: number;
  readonly seen: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Accept → visible in the aggregates: a sampled filing revision is visible once aggregation's served
 * figures count it — figure_input names the revision each enterprise counts with, written in the same
 * transaction as the figure deltas the API serves. Polled every `everyMs` by primary key.
 */
export class VisibilityWatcher {
  private readonly accepted = new Map<string, { uscc: string; period: string; revision: number; at: number }>();
  private readonly visible = new Map<string, number>();
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly sql: Client,
    private readonly schema: string,
    private readonly everyMs = 50,
  ) {}

  track(filingId: string, uscc: string, period: string, revision: number, at: number): void {
    this.accepted.set(`${filingId}:${revision}`, { uscc, period, revision, at });
  }

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.poll();
        await new Promise((resolve) => setTimeout(resolve, this.everyMs));
      }
    })().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  pending(): number {
    return this.accepted.size - this.visible.size;
  }

  /** The figures of the filings tracked since `since` (all by default). */
  result(keys?: ReadonlySet<string>): VisibilityResult {
    const chosen = [...this.accepted.entries()].filter(([key]) => !keys || keys.has(key));
    const delays = chosen.filter(([key]) => this.visible.has(key)).map(([key, a]) => this.visible.get(key)! - a.at);
    return {
      sampled: chosen.length,
      seen: delays.length,
      p50Ms: percentile(delays, 50),
      p99Ms: percentile(delays, 99),
    };
  }

  keys(): Set<string> {
    return new Set(this.accepted.keys());
  }

  private async poll(): Promise<void> {
    const pending = [...this.accepted.entries()].filter(([key]) => !this.visible.has(key));
    if (pending.length === 0) return;
    const rows = await this.sql.query<{ key: string }>(
      `SELECT i.filing_id::text || ':' || p.revision AS key
         FROM unnest($1::text[], $2::text[], $3::int[]) AS p(uscc, period, revision)
         JOIN ${this.schema}.figure_input i ON i.form_id = 'torch-monthly' AND i.period = p.period AND i.uscc = p.uscc
        WHERE i.revision >= p.revision`,
      [pending.map(([, a]) => a.uscc), pending.map(([, a]) => a.period), pending.map(([, a]) => a.revision)],
    );
    const now = Date.now();
    for (const row of rows.rows)
      if (this.accepted.has(row.key) && !this.visible.has(row.key)) this.visible.set(row.key, now);
  }
}
