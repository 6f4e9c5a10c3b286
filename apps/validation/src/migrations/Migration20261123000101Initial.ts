import { Migration } from '@mikro-orm/migrations';
import { MESSAGING_TABLES_SQL } from '@huoju/messaging';
import { ROSTER_PROJECTION_SQL } from '@huoju/persistence';

/** validation's schema: verdicts per revision, the latest accepted filing per period, and its roster copy. */
export class Migration20261123000101Initial extends Migration {
  override up(): void {
    for (const statement of [...MESSAGING_TABLES_SQL, ...ROSTER_PROJECTION_SQL]) this.addSql(statement);
    this.addSql(`CREATE TABLE verdict (
      filing_id uuid NOT NULL,
      revision integer NOT NULL,
      verdict integer NOT NULL,
      attempt integer NOT NULL,
      reason text NOT NULL,
      uscc text NOT NULL,
      form_id text NOT NULL,
      form_version text NOT NULL,
      rule_set_version text NOT NULL,
      period text NOT NULL,
      outcome text NOT NULL,
      findings jsonb NOT NULL,
      "values" jsonb NOT NULL,
      explanations jsonb NOT NULL,
      content_sha256 text NOT NULL,
      received_at timestamptz NOT NULL,
      validated_at timestamptz NOT NULL,
      PRIMARY KEY (filing_id, revision, verdict)
    )`);
    this.addSql(`CREATE INDEX verdict_period ON verdict (form_id, period)`);
    this.addSql(`CREATE INDEX verdict_enterprise ON verdict (uscc, form_id, period)`);
    // The newest accepted revision per enterprise and period: what cross-period rules compare with.
    this.addSql(`CREATE TABLE accepted_filing (
      uscc text NOT NULL,
      form_id text NOT NULL,
      period text NOT NULL,
      filing_id uuid NOT NULL,
      revision integer NOT NULL,
      "values" jsonb NOT NULL,
      PRIMARY KEY (uscc, form_id, period)
    )`);
    this.addSql(`CREATE TABLE rule_set_applied (
      form_id text NOT NULL,
      form_version text NOT NULL,
      rule_set_version text NOT NULL,
      fingerprint text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (form_id, form_version)
    )`);
  }
}
