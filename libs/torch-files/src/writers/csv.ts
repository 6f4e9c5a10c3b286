/** RFC 4180 records: fields separated by commas, CRLF after every record (the last one included). */
export const CRLF = '\r\n';
export const UTF8_BOM = '\uFEFF';

const NEEDS_QUOTES = /[",\r\n]/;

/** A field, quoted only when it contains a comma, a double quote or a line break; quotes are doubled. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + CRLF;
}
