import { Migration } from '@mikro-orm/migrations';

/**
 * Figures kept current in the facts transaction. Per enterprise and period, what the served figures hold
 * of it: its attribution (the roster on the period's last day), its completeness flags and the filing
 * revision it counts with (figure_input), and its per-indicator contribution (figure_contribution). A
 * change subtracts the stored contribution and adds the new one, so every figure moves by the exact
 * NUMERIC delta. figure_scope lists the park-periods so maintained; roll-ups recompute and reconcile them.
 * rollup_pending is the durable truth that a park-period still needs a roll-up, whatever Redis holds.
 */
export class Migration20261201000203IncrementalFigures extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE figure_scope (
      form_id text NOT NULL,
      period text NOT NULL,
      park_code text NOT NULL,
      PRIMARY KEY (form_id, period, park_code)
    )`);
    this.addSql(`CREATE TABLE figure_input (
      form_id text NOT NULL,
      period text NOT NULL,
      uscc text NOT NULL,
      park_code text NOT NULL,
      sub_park_code text,
      carrier_code text,
      registered_district text,
      street_code text,
      section text,
      division text,
      industry_tags text[] NOT NULL,
      qualifications text[] NOT NULL,
      in_scope boolean NOT NULL,
      filed boolean NOT NULL,
      accepted boolean NOT NULL,
      filing_id uuid,
      revision integer,
      verdict integer,
      PRIMARY KEY (form_id, period, uscc)
    )`);
    this.addSql(`CREATE INDEX figure_input_park ON figure_input (form_id, period, park_code)`);
    this.addSql(`CREATE TABLE figure_contribution (
      form_id text NOT NULL,
      period text NOT NULL,
      uscc text NOT NULL,
      indicator text NOT NULL,
      ytd numeric NOT NULL,
      month_value numeric,
      ly_value numeric,
      PRIMARY KEY (form_id, period, uscc, indicator)
    )`);
    // Counts the NULL-ness of comparable_ytd / last_year_ytd needs once figures move by deltas.
    this.addSql(`ALTER TABLE figure ADD COLUMN ly_enterprises integer NOT NULL DEFAULT 0`);
    // What the last final roll-up published: aggregate.revised.v1 reports against these, not the live value.
    this.addSql(`ALTER TABLE figure ADD COLUMN final_ytd numeric`);
    this.addSql(`ALTER TABLE figure ADD COLUMN final_month numeric`);
    this.addSql(`UPDATE figure SET final_ytd = ytd, final_month = month WHERE final`);
    this.addSql(`ALTER TABLE completeness ADD COLUMN members integer NOT NULL DEFAULT 0`);
    this.addSql(`ALTER TABLE rollup_run ADD COLUMN defects integer`);
    this.addSql(`CREATE TABLE rollup_pending (
      form_id text NOT NULL,
      period text NOT NULL,
      park_code text NOT NULL,
      trigger text NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (form_id, period, park_code)
    )`);
  }
}
