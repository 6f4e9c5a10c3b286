import { Migration } from '@mikro-orm/migrations';

/**
 * - rollup_input by enterprise: each facts transaction looks up where its enterprises were last rolled up
 *   (RollupPendingRepository.record); through the primary key's (form, period, park) prefix that read every
 *   row of the period per enterprise — 5.3 s for 300 enterprises at 250,000, and growing with the season.
 * - rollup_reconciliation: an empty table whose lock serialises reconciliations. LOCK TABLE takes no
 *   snapshot, so a REPEATABLE READ reconciliation's snapshot begins after the previous one committed; on a
 *   table of its own, the lock keeps ANALYZE and VACUUM of rollup_input free to run meanwhile.
 */
export class Migration20261201000206RollupInputByEnterprise extends Migration {
  override up(): void {
    this.addSql(`CREATE INDEX rollup_input_enterprise ON rollup_input (form_id, period, uscc)`);
    this.addSql(`CREATE TABLE rollup_reconciliation (locked_by_reconciliations boolean)`);
  }
}
