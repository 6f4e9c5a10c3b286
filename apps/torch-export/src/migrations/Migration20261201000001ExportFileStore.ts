import { Migration } from '@mikro-orm/migrations';

/**
 * Export files and manifests move from each instance's local disk into the schema (the PostgreSQL
 * ExportFileStore), so every instance can serve every download; a file is `chunks` bytea rows of at most
 * 1 MiB. Files written to a local directory before this migration are not carried over: their exports
 * answer 410 and can be exported again at the same cut-off.
 */
export class Migration20261201000001ExportFileStore extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE export_file (
      key text PRIMARY KEY,
      byte_size bigint NOT NULL,
      sha256 text NOT NULL,
      chunks integer NOT NULL,
      stored_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql(`CREATE TABLE export_file_chunk (
      key text NOT NULL REFERENCES export_file (key) ON DELETE CASCADE,
      seq integer NOT NULL,
      data bytea NOT NULL,
      PRIMARY KEY (key, seq)
    )`);
    // XLSX is already deflated: storing it out of line without a second compression saves CPU for nothing lost.
    this.addSql(`ALTER TABLE export_file_chunk ALTER COLUMN data SET STORAGE EXTERNAL`);
  }
}
