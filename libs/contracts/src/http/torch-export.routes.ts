import { type z } from 'zod';
import {
  autoExportBody,
  autoExportListSchema,
  autoExportParams,
  autoExportSettingSchema,
  EXPORT_FILE_MEDIA_TYPES,
  exportBody,
  exportListQuery,
  exportListSchema,
  exportParams,
  exportViewSchema,
  manifestSchema,
} from './exports.http';
import { routeTable } from './route';

const bearer = ['bearer'] as const;
const ok = <S extends z.ZodType>(schema: S, description = 'OK') => ({ description, schema });

/** Every HTTP operation of torch-export (port 3004). */
export const torchExportRoutes = routeTable({
  requestExport: {
    method: 'post',
    path: '/v1/exports',
    summary:
      'Export a form, period and park ("all" for the commission) as xlsx, csv or sdmx-csv: 202 with the job; cutoff = an export id or a validatedAt instant re-exports an earlier cut-off',
    tags: ['exports'],
    security: bearer,
    roles: ['park', 'commission', 'admin'],
    body: exportBody,
    responses: { 202: { description: 'Queued', schema: exportViewSchema, headers: { location: 'The export' } } },
  },
  listExports: {
    method: 'get',
    path: '/v1/exports',
    summary: 'Recent exports you may read (filters: formId, period, park)',
    tags: ['exports'],
    security: bearer,
    roles: ['park', 'commission', 'admin'],
    query: exportListQuery,
    responses: { 200: ok(exportListSchema) },
  },
  getExport: {
    method: 'get',
    path: '/v1/exports/{id}',
    summary: 'State and progress (rows written, percent) of an export',
    tags: ['exports'],
    security: bearer,
    roles: ['park', 'commission', 'admin'],
    params: exportParams,
    responses: { 200: ok(exportViewSchema) },
  },
  getExportFile: {
    method: 'get',
    path: '/v1/exports/{id}/file',
    summary: 'Download the file (409 until it is ready)',
    tags: ['exports'],
    security: bearer,
    roles: ['park', 'commission', 'admin'],
    params: exportParams,
    responses: {
      200: {
        description: 'The file',
        files: EXPORT_FILE_MEDIA_TYPES,
        headers: { etag: 'sha-256 of the file', 'repr-digest': 'sha-256=:<base64>:' },
      },
      409: { description: 'Not ready yet' },
      410: {
        description: 'Expired after EXPORT_FILE_MAX_AGE_HOURS (EXPORT.EXPIRED), or no longer stored (EXPORT.FILE_GONE)',
      },
    },
  },
  getExportManifest: {
    method: 'get',
    path: '/v1/exports/{id}/manifest',
    summary:
      'The manifest: row counts, sha-256 of the file, and the cut-off (every included filing, revision and verdict)',
    tags: ['exports'],
    security: bearer,
    roles: ['park', 'commission', 'admin'],
    params: exportParams,
    responses: {
      200: ok(manifestSchema),
      409: { description: 'Not ready yet' },
      410: {
        description: 'Expired after EXPORT_FILE_MAX_AGE_HOURS (EXPORT.EXPIRED), or no longer stored (EXPORT.FILE_GONE)',
      },
    },
  },
  listAutoExports: {
    method: 'get',
    path: '/v1/exports/auto',
    summary: 'Which parks are exported automatically when their period is rolled up, and in which formats',
    tags: ['exports'],
    security: bearer,
    roles: ['commission', 'admin'],
    responses: { 200: ok(autoExportListSchema) },
  },
  getAutoExport: {
    method: 'get',
    path: '/v1/exports/auto/{park}',
    summary: 'The automatic export setting of a park',
    tags: ['exports'],
    security: bearer,
    roles: ['commission', 'admin'],
    params: autoExportParams,
    responses: { 200: ok(autoExportSettingSchema) },
  },
  setAutoExport: {
    method: 'put',
    path: '/v1/exports/auto/{park}',
    summary: 'Turn automatic exports of a park on or off: {"enabled": true, "formats": ["xlsx", "sdmx-csv"]}',
    tags: ['exports'],
    security: bearer,
    roles: ['commission', 'admin'],
    params: autoExportParams,
    body: autoExportBody,
    responses: { 200: ok(autoExportSettingSchema) },
  },
});

export type TorchExportRoutes = typeof torchExportRoutes;
