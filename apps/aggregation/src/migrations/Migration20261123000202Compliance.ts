import { Migration } from '@mikro-orm/migrations';

/**
 * Compliance (催报): reminders sent, at most one per enterprise, form, period and kind (the unique key is
 * written in the same transaction as the outbox event); webhooks per street and park with their
 * delivery log; and the park/carrier evaluations recorded when a period's grace ends (一次通报、两次摘牌).
 */
export class Migration20261123000202Compliance extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE compliance_reminder (
      id bigserial PRIMARY KEY,
      uscc text NOT NULL,
      form_id text NOT NULL,
      period text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('due-soon', 'overdue', 'late-received')),
      park_code text NOT NULL,
      sub_park_code text NOT NULL,
      street_code text NOT NULL,
      name_zh text NOT NULL,
      contact jsonb NOT NULL,
      outcome text,
      first_filing_id uuid,
      first_revision integer,
      first_received_at timestamptz,
      topic text,
      event_id uuid,
      payload jsonb,
      created_at timestamptz NOT NULL,
      CONSTRAINT compliance_reminder_once UNIQUE (uscc, form_id, period, kind)
    )`);
    this.addSql(`CREATE INDEX compliance_reminder_period ON compliance_reminder (form_id, period, kind)`);
    this.addSql(`CREATE TABLE compliance_webhook (
      target_kind text NOT NULL CHECK (target_kind IN ('street', 'park')),
      target_code text NOT NULL,
      url text NOT NULL,
      secret text NOT NULL,
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (target_kind, target_code)
    )`);
    // One delivery per reminder and target, created with the reminder; its job id is its id.
    this.addSql(`CREATE TABLE compliance_delivery (
      id uuid PRIMARY KEY,
      reminder_id bigint NOT NULL REFERENCES compliance_reminder (id),
      target_kind text NOT NULL,
      target_code text NOT NULL,
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      created_at timestamptz NOT NULL,
      delivered_at timestamptz,
      CONSTRAINT compliance_delivery_once UNIQUE (reminder_id, target_kind, target_code)
    )`);
    this.addSql(`CREATE INDEX compliance_delivery_pending ON compliance_delivery (created_at) WHERE state = 'pending'`);
    this.addSql(
      `CREATE INDEX compliance_delivery_target ON compliance_delivery (target_kind, target_code, created_at)`,
    );
    this.addSql(`CREATE TABLE compliance_delivery_attempt (
      id bigserial PRIMARY KEY,
      delivery_id uuid NOT NULL REFERENCES compliance_delivery (id),
      attempt integer NOT NULL,
      url text NOT NULL,
      attempted_at timestamptz NOT NULL,
      status_code integer,
      error text,
      duration_ms integer NOT NULL
    )`);
    this.addSql(
      `CREATE INDEX compliance_delivery_attempt_delivery ON compliance_delivery_attempt (delivery_id, attempt)`,
    );
    this.addSql(`CREATE TABLE compliance_evaluation_run (
      form_id text NOT NULL,
      period text NOT NULL,
      threshold numeric NOT NULL,
      evaluated_at timestamptz NOT NULL,
      PRIMARY KEY (form_id, period)
    )`);
    this.addSql(`CREATE TABLE compliance_evaluation (
      form_id text NOT NULL,
      period text NOT NULL,
      unit_kind text NOT NULL CHECK (unit_kind IN ('park', 'carrier')),
      unit_code text NOT NULL,
      park_code text NOT NULL,
      expected integer NOT NULL,
      filed integer NOT NULL,
      filed_on_time integer NOT NULL,
      filing_rate numeric,
      on_time_rate numeric,
      below boolean NOT NULL,
      consecutive_below integer NOT NULL,
      notice text CHECK (notice IN ('first-notice', 'second-notice')),
      PRIMARY KEY (form_id, period, unit_kind, unit_code)
    )`);
  }
}
