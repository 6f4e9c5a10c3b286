import { Migration } from '@mikro-orm/migrations';

/** Audit entries recorded by aggregation and torch-export arrive as events: stored once per event id. */
export class Migration20261201000004AuditEvents extends Migration {
  override up(): void {
    this.addSql(`ALTER TABLE audit_entry ADD COLUMN event_id uuid`);
    this.addSql(`CREATE UNIQUE INDEX audit_entry_event ON audit_entry (event_id) WHERE event_id IS NOT NULL`);
  }
}
