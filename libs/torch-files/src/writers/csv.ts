import { stringify } from 'csv-stringify/sync';
import { neutralizeFormula } from '@huoju/domain';

/** RFC 4180 records: fields separated by commas, CRLF after every record (the last one included). */
export const CRLF = '\r\n';
export const UTF8_BOM = '\uFEFF';

/**
 * One record, quoted only where a field contains a comma, a double quote or a line break; text a
 * spreadsheet would run as a formula is defused (names and contacts come from enterprises).
 */
export function csvRecord(fields: readonly string[]): string {
  return stringify([fields as string[]], CSV_OPTIONS);
}

const CSV_OPTIONS = {
  record_delimiter: 'windows',
  quoted_match: /[\r\n]/,
  cast: { string: neutralizeFormula },
} as const;

export function csvField(value: string): string {
  return csvRecord([value]).slice(0, -CRLF.length);
}
