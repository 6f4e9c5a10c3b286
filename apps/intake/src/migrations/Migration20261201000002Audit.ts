import { Migration } from '@mikro-orm/migrations';

/** The audit log: who did what to what, when, from where. Append-only. */
export class Migration20261201000002Audit extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE audit_entry (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL,
      role text NOT NULL,
      action text NOT NULL,
      target text NOT NULL,
      ip text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}'
    )`);
    this.addSql(`CREATE INDEX audit_entry_at ON audit_entry (at DESC)`);
    this.addSql(`CREATE INDEX audit_entry_actor ON audit_entry (actor, at DESC)`);
  }
}
