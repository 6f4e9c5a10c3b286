import { Migration } from '@mikro-orm/migrations';

/**
 * When a park-period first needed a reconciling roll-up since its last one: a provisional roll-up waits
 * while filings keep arriving, but never longer than the configured limit from this moment.
 */
export class Migration20261201000205RollupDeferral extends Migration {
  override up(): void {
    this.addSql(
      `ALTER TABLE rollup_pending ADD COLUMN first_requested_at timestamptz NOT NULL DEFAULT clock_timestamp()`,
    );
  }
}
