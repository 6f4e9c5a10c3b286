import { Migration } from '@mikro-orm/migrations';

/** Export files expire (EXPORT_FILE_MAX_AGE_HOURS): the job row records when its file and manifest were deleted. */
export class Migration20261201000002ExportFileExpiry extends Migration {
  override up(): void {
    this.addSql(`ALTER TABLE export_job ADD COLUMN file_expired_at timestamptz`);
    this.addSql(
      `CREATE INDEX export_job_expiring ON export_job (finished_at) WHERE state = 'completed' AND file_expired_at IS NULL`,
    );
  }
}
