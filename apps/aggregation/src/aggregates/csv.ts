import { stringify } from 'csv-stringify/sync';
import { neutralizeFormula } from '@huoju/domain';

/**
 * RFC 4180 CSV with a UTF-8 BOM, so that Excel opens Chinese text correctly; text that a spreadsheet would
 * run as a formula is defused, numbers stay numbers.
 */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | boolean | null)[])[],
): string {
  return stringify([header, ...rows] as (string | number | boolean | null)[][], {
    bom: true,
    record_delimiter: 'windows',
    // A lone CR or LF is a line break to Excel too, not only the CRLF record delimiter.
    quoted_match: /[\r\n]/,
    cast: { string: neutralizeFormula, boolean: String },
  });
}
