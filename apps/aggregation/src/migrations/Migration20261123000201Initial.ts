import { Migration } from '@mikro-orm/migrations';
import { MESSAGING_TABLES_SQL } from '@huoju/messaging';
import { ROSTER_PROJECTION_SQL } from '@huoju/persistence';

/**
 * aggregation's schema. Verdicts are kept whole; facts are the latest accepted revision per enterprise,
 * form, period and indicator, derived from the verdicts; roll-ups hold the figures served and the exact
 * inputs they were computed from.
 */
export class Migration20261123000201Initial extends Migration {
  override up(): void {
    for (const statement of [...MESSAGING_TABLES_SQL, ...ROSTER_PROJECTION_SQL]) this.addSql(statement);
    this.addSql(`CREATE TABLE verdict (
      filing_id uuid NOT NULL,
      revision integer NOT NULL,
      verdict integer NOT NULL,
      uscc text NOT NULL,
      form_id text NOT NULL,
      period text NOT NULL,
      outcome text NOT NULL,
      "values" jsonb NOT NULL,
      content_sha256 text NOT NULL,
      received_at timestamptz NOT NULL,
      validated_at timestamptz NOT NULL,
      PRIMARY KEY (filing_id, revision, verdict)
    )`);
    this.addSql(`CREATE INDEX verdict_key ON verdict (uscc, form_id, period)`);
    this.addSql(`CREATE TABLE fact (
      uscc text NOT NULL,
      form_id text NOT NULL,
      period text NOT NULL,
      indicator text NOT NULL,
      value numeric NOT NULL,
      filing_id uuid NOT NULL,
      revision integer NOT NULL,
      verdict integer NOT NULL,
      PRIMARY KEY (form_id, period, uscc, indicator)
    )`);
    this.addSql(`CREATE INDEX fact_enterprise ON fact (uscc)`);
    // Per enterprise and period: what compliance needs (first receipt, latest outcome, accepted revision).
    this.addSql(`CREATE TABLE filing_state (
      uscc text NOT NULL,
      form_id text NOT NULL,
      period text NOT NULL,
      filing_id uuid NOT NULL,
      latest_revision integer NOT NULL,
      latest_outcome text NOT NULL,
      first_received_at timestamptz NOT NULL,
      accepted_revision integer,
      accepted_received_at timestamptz,
      accepted_validated_at timestamptz,
      PRIMARY KEY (form_id, period, uscc)
    )`);
    this.addSql(`CREATE TABLE rollup_run (
      id text PRIMARY KEY,
      park_code text NOT NULL,
      form_id text NOT NULL,
      period text NOT NULL,
      trigger text NOT NULL,
      final boolean NOT NULL,
      state text NOT NULL,
      figures integer,
      revised_figures integer,
      facts_hash text,
      filings integer,
      last_validated_at timestamptz,
      error text,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    this.addSql(`CREATE INDEX rollup_run_target ON rollup_run (park_code, form_id, period, started_at)`);
    // The figures served: one row per park, period, dimension member and indicator, from the latest roll-up.
    this.addSql(`CREATE TABLE figure (
      park_code text NOT NULL,
      form_id text NOT NULL,
      period text NOT NULL,
      dimension text NOT NULL,
      member text NOT NULL,
      indicator text NOT NULL,
      ytd numeric NOT NULL,
      month numeric,
      comparable_ytd numeric,
      last_year_ytd numeric,
      enterprises integer NOT NULL,
      month_enterprises integer NOT NULL,
      rollup_id text NOT NULL,
      final boolean NOT NULL,
      PRIMARY KEY (form_id, period, park_code, dimension, member, indicator)
    )`);
    this.addSql(`CREATE TABLE completeness (
      park_code text NOT NULL,
      form_id text NOT NULL,
      period text NOT NULL,
      dimension text NOT NULL,
      member text NOT NULL,
      expected integer NOT NULL,
      filed integer NOT NULL,
      accepted integer NOT NULL,
      PRIMARY KEY (form_id, period, park_code, dimension, member)
    )`);
    // Exactly which filing revisions (and which attribution) the served figures were computed from.
    this.addSql(`CREATE TABLE rollup_input (
      park_code text NOT NULL,
      form_id text NOT NULL,
      period text NOT NULL,
      uscc text NOT NULL,
      filing_id uuid NOT NULL,
      revision integer NOT NULL,
      verdict integer NOT NULL,
      members jsonb NOT NULL,
      PRIMARY KEY (form_id, period, park_code, uscc)
    )`);
  }
}
