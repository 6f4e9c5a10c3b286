import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExportFormat } from '../torch-export.config';

export interface AutoExportSettingRow {
  park_code: string;
  enabled: boolean;
  formats: ExportFormat[];
  updated_by: string;
  /** ISO-8601 UTC with milliseconds. */
  updated_at: string;
}

/** The per-park overrides of AUTO_EXPORT_PARKS / AUTO_EXPORT_FORMATS set over HTTP. */
@Injectable()
export class AutoExportSettingRepository {
  async save(
    em: EntityManager,
    setting: {
      parkCode: string;
      enabled: boolean;
      formats: readonly ExportFormat[];
      updatedBy: string;
      updatedAt: Date;
    },
  ): Promise<void> {
    await em.execute(
      `INSERT INTO auto_export_setting (park_code, enabled, formats, updated_by, updated_at) VALUES (?, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb)), ?, ?)
       ON CONFLICT (park_code) DO UPDATE SET enabled = excluded.enabled, formats = excluded.formats, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [setting.parkCode, setting.enabled, JSON.stringify(setting.formats), setting.updatedBy, setting.updatedAt],
    );
  }

  /** One park's override, or every park's. */
  async find(em: EntityManager, parkCode?: string): Promise<AutoExportSettingRow[]> {
    return em.execute<AutoExportSettingRow[]>(
      `SELECT park_code, enabled, formats, updated_by, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
         FROM auto_export_setting ${parkCode ? 'WHERE park_code = ?' : ''}`,
      parkCode ? [parkCode] : [],
    );
  }
}
