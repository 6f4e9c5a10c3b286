import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { LOGGER } from '@huoju/platform';
import { careForTable, tablesNeedingCare } from './table-statistics.query';
import type { ServiceDatabase } from './orm-options';

export const TABLE_CARE_INTERVAL_MS = 10_000;

/**
 * Stands in for autovacuum where a PostgreSQL runs without it (this project's development machine does):
 * without fresh statistics the planner takes a table that grew from empty to thousands of rows for a tiny
 * one and probes the wrong index once per row — the deltas then took seconds per statement. Every
 * ten seconds it analyzes (and vacuums) the tables of the service's own schema that are past autovacuum's
 * default thresholds. Where autovacuum is on (production), each tick only reads that setting.
 */
@Injectable()
export class TableStatisticsKeeper implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly orm: MikroORM,
    private readonly database: ServiceDatabase,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), TABLE_CARE_INTERVAL_MS);
    this.timer.unref();
  }

  // Before any shutdown hook: @mikro-orm/nestjs closes the pool in its own shutdown hook.
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; a pass still running is not overlapped. Failures (a database restart) wait for the next tick. */
  tick(): Promise<void> {
    this.running ??= this.careForTables()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'table statistics: pass failed; next one retries'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async careForTables(): Promise<void> {
    const { autovacuum, tables } = await tablesNeedingCare(this.orm, this.database.schema);
    if (autovacuum) return;
    for (const table of tables) await careForTable(this.orm, this.database.schema, table);
    if (tables.length > 0)
      this.logger.debug({ schema: this.database.schema, tables }, 'table statistics: analyzed (autovacuum is off)');
  }
}
