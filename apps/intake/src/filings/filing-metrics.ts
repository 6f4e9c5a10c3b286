import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Metrics } from '@huoju/platform';
import { AWAITING_VERDICT } from './filing-status';
import { countFilingsByStatus } from './filing-status.query';

const PENDING = new Set<string>(AWAITING_VERDICT);

/** Keeps `huoju_filings{status}` current at each scrape (stuck filings show as a growing "validating"). */
@Injectable()
export class FilingMetrics implements OnModuleInit {
  constructor(
    private readonly orm: MikroORM,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.metrics.onScrape(async () => {
      const counts = await countFilingsByStatus(this.orm.em.fork() as EntityManager);
      this.metrics.filings.reset();
      for (const { status, count } of counts) this.metrics.filings.set({ status }, count);
      const pending = counts.filter((c) => PENDING.has(c.status)).map((c) => c.oldestSeconds);
      this.metrics.filingsPendingOldest.set(pending.length > 0 ? Math.max(...pending) : 0);
    });
  }
}
