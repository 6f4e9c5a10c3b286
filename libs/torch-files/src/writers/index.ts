import type { ExportFormat } from '../formats';
import type { ExportSubject, ExportWriter } from './export-row';
import { SDMX_CSV_CONTENT_TYPE } from './sdmx-csv';
import { SdmxCsvWriter } from './sdmx-csv.writer';
import { CSV_CONTENT_TYPE, TorchCsvWriter } from './torch-csv.writer';
import { TorchXlsxWriter, XLSX_CONTENT_TYPE } from './torch-xlsx.writer';

export * from './export-row';
export * from './provenance';

export const FORMAT_FILES: Readonly<
  Record<ExportFormat, { readonly extension: string; readonly contentType: string }>
> = {
  xlsx: { extension: 'xlsx', contentType: XLSX_CONTENT_TYPE },
  csv: { extension: 'csv', contentType: CSV_CONTENT_TYPE },
  'sdmx-csv': { extension: 'sdmx.csv', contentType: SDMX_CSV_CONTENT_TYPE },
};

/** The streaming writer of a format. `time` is the cut-off time, the only time a file may contain. */
export function createWriter(format: ExportFormat, subject: ExportSubject, filename: string, time: Date): ExportWriter {
  switch (format) {
    case 'xlsx':
      return new TorchXlsxWriter(subject, filename, time);
    case 'csv':
      return new TorchCsvWriter(subject, filename);
    case 'sdmx-csv':
      return new SdmxCsvWriter(subject, filename);
  }
}

/** The download name: the same for the same subject and format, so re-exports are easy to compare. */
export function downloadName(
  format: ExportFormat,
  subject: Pick<ExportSubject, 'park'> & { formId: string; period: string },
): string {
  return `${subject.formId}_${subject.period}_${subject.park}.${FORMAT_FILES[format].extension}`;
}
