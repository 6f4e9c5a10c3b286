import { z } from 'zod';
import { checkedByService, formIdDoc, safeText, uuidText } from './common.http';

export const EXPORT_FORMATS = ['xlsx', 'csv', 'sdmx-csv'] as const;

export const exportBody = z
  .object({
    formId: formIdDoc('The form'),
    period: checkedByService(7, {
      description: 'A period of the form that has begun (a future period is refused)',
      pattern: /^\d{4}(-(0[1-9]|1[0-2]))?$/,
      example: '2026-09',
    }),
    park: checkedByService(32, { description: 'A park code, or "all" (commission and admins)', example: 'CORE' }),
    format: checkedByService(16, { description: 'The file format', enum: EXPORT_FORMATS }),
    cutoff: safeText(64).optional().meta({
      description:
        'An earlier export id (its manifest) or a validatedAt instant; omitted = everything validated so far',
    }),
  })
  .meta({
    id: 'ExportRequest',
    examples: [{ formId: 'torch-monthly', period: '2026-09', park: 'CORE', format: 'xlsx' }],
  });

export const exportParams = z.strictObject({ id: uuidText });

export const exportListQuery = z.strictObject({
  formId: formIdDoc('Filter: form').optional(),
  period: checkedByService(7, { description: 'Filter: period', pattern: /^\d{4}(-(0[1-9]|1[0-2]))?$/ }).optional(),
  park: checkedByService(32, { description: 'Filter: park', example: 'CORE' }).optional(),
});

export const exportViewSchema = z
  .object({
    id: z.uuid(),
    formId: z.string(),
    formVersion: z.string(),
    period: z.string(),
    park: z.string(),
    format: z.enum(EXPORT_FORMATS),
    state: z.enum(['queued', 'running', 'completed', 'failed']),
    progress: z.object({ rowsWritten: z.int(), totalRows: z.int().nullable(), percent: z.number() }),
    cutoff: z.object({
      kind: z.enum(['live', 'export', 'validated-at']),
      exportId: z.string().optional(),
      verdictSequence: z.string(),
      validatedAtLimit: z.string().nullable(),
    }),
    trigger: z.string(),
    requestedBy: z.string(),
    attempts: z.int(),
    error: z
      .object({ code: z.string(), messageZh: z.string(), messageEn: z.string() })
      .nullable()
      .meta({ description: 'A coded, coarse reason; the detail is in the service log' }),
    file: z.object({ name: z.string(), contentType: z.string(), bytes: z.int(), sha256: z.string() }).nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    links: z.object({ self: z.string(), file: z.string(), manifest: z.string() }),
  })
  .meta({ id: 'Export' });

export const exportListSchema = z.object({ exports: z.array(exportViewSchema) }).meta({ id: 'ExportList' });

export const manifestSchema = z.looseObject({}).meta({
  id: 'ExportManifest',
  description: 'Row counts, sha-256 of the file, every included filing, revision and verdict',
});

export const EXPORT_FILE_MEDIA_TYPES = [
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/csv',
] as const;

export const autoExportParams = z.strictObject({
  park: checkedByService(32, { description: 'A park code', example: 'CORE' }),
});

export const autoExportBody = z
  .object({
    enabled: z.boolean(),
    formats: z
      .array(z.enum(EXPORT_FORMATS))
      .min(1)
      .max(3)
      .optional()
      .meta({ description: 'Default: the configured formats' }),
  })
  .meta({ id: 'AutoExportInput', examples: [{ enabled: true, formats: ['xlsx', 'sdmx-csv'] }] });

export const autoExportSettingSchema = z
  .object({
    park: z.string(),
    enabled: z.boolean(),
    formats: z.array(z.enum(EXPORT_FORMATS)),
    source: z.enum(['environment', 'api']),
    updatedBy: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .meta({ id: 'AutoExportSetting' });

export const autoExportListSchema = z
  .object({ parks: z.array(autoExportSettingSchema) })
  .meta({ id: 'AutoExportSettings' });

export type ExportView = z.infer<typeof exportViewSchema>;
