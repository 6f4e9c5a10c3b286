import { Migration } from '@mikro-orm/migrations';
import { MESSAGING_TABLES_SQL } from '@huoju/messaging';

/** intake's schema: the roster (effective-dated), filings with their revisions, receipts, credentials. */
export class Migration20261123000001Initial extends Migration {
  override up(): void {
    for (const statement of MESSAGING_TABLES_SQL) this.addSql(statement);

    this.addSql(`CREATE TABLE enterprise (
      uscc text PRIMARY KEY,
      name_zh text NOT NULL,
      industry_code text NOT NULL,
      registered_district text NOT NULL,
      contact jsonb NOT NULL,
      industry_tags text[] NOT NULL DEFAULT '{}',
      registry_version integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql(`CREATE UNIQUE INDEX enterprise_name ON enterprise (name_zh)`);
    // Effective-dated links: a change closes the old row (valid_to) and opens a new one; nothing is overwritten.
    this.addSql(`CREATE TABLE enterprise_membership (
      id bigserial PRIMARY KEY,
      uscc text NOT NULL REFERENCES enterprise (uscc),
      park_code text NOT NULL,
      sub_park_code text NOT NULL,
      carrier_code text,
      valid_from date NOT NULL,
      valid_to date,
      CHECK (valid_to IS NULL OR valid_to >= valid_from)
    )`);
    this.addSql(`CREATE INDEX enterprise_membership_uscc ON enterprise_membership (uscc)`);
    this.addSql(`CREATE INDEX enterprise_membership_park ON enterprise_membership (park_code)`);
    this.addSql(`CREATE TABLE enterprise_street (
      id bigserial PRIMARY KEY,
      uscc text NOT NULL REFERENCES enterprise (uscc),
      street_code text NOT NULL,
      valid_from date NOT NULL,
      valid_to date,
      CHECK (valid_to IS NULL OR valid_to >= valid_from)
    )`);
    this.addSql(`CREATE INDEX enterprise_street_uscc ON enterprise_street (uscc)`);
    this.addSql(`CREATE INDEX enterprise_street_code ON enterprise_street (street_code)`);
    this.addSql(`CREATE TABLE enterprise_qualification (
      id bigserial PRIMARY KEY,
      uscc text NOT NULL REFERENCES enterprise (uscc),
      tag text NOT NULL,
      certificate_no text,
      valid_from date NOT NULL,
      valid_to date,
      CHECK (valid_to IS NULL OR valid_to >= valid_from)
    )`);
    this.addSql(`CREATE INDEX enterprise_qualification_uscc ON enterprise_qualification (uscc)`);
    this.addSql(`CREATE TABLE enterprise_scope (
      id bigserial PRIMARY KEY,
      uscc text NOT NULL REFERENCES enterprise (uscc),
      form_id text NOT NULL,
      valid_from date NOT NULL,
      valid_to date,
      CHECK (valid_to IS NULL OR valid_to >= valid_from)
    )`);
    this.addSql(`CREATE INDEX enterprise_scope_uscc ON enterprise_scope (uscc)`);
    this.addSql(`CREATE TABLE enterprise_history (
      uscc text NOT NULL REFERENCES enterprise (uscc),
      registry_version integer NOT NULL,
      change text NOT NULL,
      changed_by text NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      state jsonb NOT NULL,
      PRIMARY KEY (uscc, registry_version)
    )`);

    this.addSql(`CREATE TABLE filing (
      id uuid PRIMARY KEY,
      uscc text NOT NULL REFERENCES enterprise (uscc),
      form_id text NOT NULL,
      period text NOT NULL,
      current_revision integer NOT NULL,
      status text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (uscc, form_id, period)
    )`);
    this.addSql(`CREATE INDEX filing_period ON filing (form_id, period)`);
    this.addSql(`CREATE TABLE filing_revision (
      filing_id uuid NOT NULL REFERENCES filing (id),
      revision integer NOT NULL,
      attempt integer NOT NULL DEFAULT 1,
      form_version text NOT NULL,
      rule_set_version text NOT NULL,
      "values" jsonb NOT NULL,
      explanations jsonb NOT NULL DEFAULT '[]',
      content_sha256 text NOT NULL,
      idempotency_key text,
      submitted_by text NOT NULL,
      received_at timestamptz NOT NULL,
      status text NOT NULL,
      outcome text,
      verdict integer NOT NULL DEFAULT 0,
      findings jsonb NOT NULL DEFAULT '[]',
      validated_at timestamptz,
      returned_comment text,
      returned_by text,
      returned_at timestamptz,
      PRIMARY KEY (filing_id, revision)
    )`);
    this.addSql(`CREATE TABLE idempotency_record (
      principal text NOT NULL,
      idempotency_key text NOT NULL,
      request_sha256 text NOT NULL,
      filing_id uuid NOT NULL,
      revision integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (principal, idempotency_key)
    )`);
    this.addSql(`CREATE TABLE api_key (
      id text PRIMARY KEY,
      secret_sha256 text NOT NULL,
      role text NOT NULL,
      scope text[] NOT NULL,
      label text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`);
  }
}
