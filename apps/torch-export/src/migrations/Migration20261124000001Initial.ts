import { Migration } from '@mikro-orm/migrations';
import { MESSAGING_TABLES_SQL } from '@huoju/messaging';
import { ROSTER_PROJECTION_SQL } from '@huoju/persistence';

/**
 * torch-export's schema: its own projection of the roster and of validation verdicts (kept as a history,
 * so that an earlier cut-off can be reproduced), the export jobs with their manifests, and the automatic
 * export settings.
 */
export class Migration20261124000001Initial extends Migration {
  override up(): void {
    for (const statement of MESSAGING_TABLES_SQL) this.addSql(statement);
    for (const statement of ROSTER_PROJECTION_SQL) this.addSql(statement);

    // Every verdict ever received, never updated. seq is the order verdicts were recorded in; ingestion is
    // serialised (advisory lock), so seq order is commit order and "seq <= W" names exactly what a snapshot saw.
    this.addSql(`CREATE TABLE filing_verdict (
      seq bigserial NOT NULL UNIQUE,
      filing_id uuid NOT NULL,
      revision integer NOT NULL,
      verdict integer NOT NULL,
      attempt integer NOT NULL,
      uscc text NOT NULL,
      form_id text NOT NULL,
      form_version text NOT NULL,
      period text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('accepted', 'needs-explanation', 'rejected')),
      "values" jsonb NOT NULL,
      content_sha256 text NOT NULL,
      received_at timestamptz NOT NULL,
      validated_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (filing_id, revision, verdict)
    )`);
    this.addSql(`CREATE INDEX filing_verdict_period ON filing_verdict (form_id, period, uscc, revision, verdict)`);

    // The current answer per (form, period, enterprise): the highest revision whose newest verdict is accepted.
    // Derived from filing_verdict in the same transaction, so it always equals the history evaluated at max(seq).
    this.addSql(`CREATE TABLE accepted_filing (
      form_id text NOT NULL,
      period text NOT NULL,
      uscc text NOT NULL,
      filing_id uuid NOT NULL,
      revision integer NOT NULL,
      verdict integer NOT NULL,
      form_version text NOT NULL,
      "values" jsonb NOT NULL,
      content_sha256 text NOT NULL,
      validated_at timestamptz NOT NULL,
      seq bigint NOT NULL,
      PRIMARY KEY (form_id, period, uscc)
    )`);

    this.addSql(`CREATE TABLE export_job (
      id uuid PRIMARY KEY,
      form_id text NOT NULL,
      form_version text NOT NULL,
      period text NOT NULL,
      park_code text NOT NULL,
      format text NOT NULL CHECK (format IN ('xlsx', 'csv', 'sdmx-csv')),
      state text NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'failed')),
      requested_by text NOT NULL,
      trigger text NOT NULL CHECK (trigger IN ('request', 'rolledup')),
      trigger_key text UNIQUE,
      trigger_detail jsonb,
      cutoff_kind text NOT NULL CHECK (cutoff_kind IN ('live', 'export', 'validated-at')),
      cutoff_export_id uuid,
      verdict_sequence bigint,
      validated_at_limit timestamptz,
      rows_written integer NOT NULL DEFAULT 0,
      total_rows integer,
      percent integer NOT NULL DEFAULT 0,
      attempts integer NOT NULL DEFAULT 0,
      file_name text,
      content_type text,
      byte_size bigint,
      sha256 text,
      manifest jsonb,
      error text,
      created_at timestamptz NOT NULL,
      started_at timestamptz,
      finished_at timestamptz
    )`);
    this.addSql(`CREATE INDEX export_job_subject ON export_job (form_id, period, park_code, created_at)`);
    this.addSql(`CREATE INDEX export_job_unfinished ON export_job (created_at) WHERE state IN ('queued', 'running')`);

    // Overrides of AUTO_EXPORT_PARKS set over HTTP by the commission.
    this.addSql(`CREATE TABLE auto_export_setting (
      park_code text PRIMARY KEY,
      enabled boolean NOT NULL,
      formats text[] NOT NULL,
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
  }
}
