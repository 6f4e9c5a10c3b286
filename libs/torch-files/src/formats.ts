/** The official file formats an export can be written in. */
export const EXPORT_FORMATS = ['xlsx', 'csv', 'sdmx-csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
