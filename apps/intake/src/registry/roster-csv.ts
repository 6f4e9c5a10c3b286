import { NO_SHEET_LIMITS, SheetLimitError, type SheetLimits } from './sheet-limits';

/** A record of a CSV file: its cells and its row number as a spreadsheet shows it (the first record is row 1). */
export interface SheetRow {
  readonly row: number;
  readonly cells: readonly string[];
}

export interface CsvProblem {
  readonly row: number;
  readonly code: 'CSV.UNTERMINATED_QUOTE';
  readonly messageZh: string;
  readonly messageEn: string;
}

/**
 * Parses CSV as RFC 4180 describes it: comma-separated, double-quoted fields that may hold commas,
 * line breaks and doubled quotes. Records end with CRLF, LF or CR. Like Excel, it keeps a quote inside an
 * unquoted field, and text after a closing quote, as they are rather than refusing the file.
 * Throws SheetLimitError at the first record, cell or character past `limits`, before building more rows:
 * 20 MB of line breaks would otherwise be 20 million records. Empty cells past the column limit are dropped.
 */
export function parseCsv(
  text: string,
  limits: SheetLimits = NO_SHEET_LIMITS,
): { rows: SheetRow[]; problems: CsvProblem[] } {
  const rows: SheetRow[] = [];
  const problems: CsvProblem[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let recordRow = 1;
  let index = 0;
  const length = text.length;

  const endField = () => {
    if (field.length > limits.maxCellChars) throw new SheetLimitError('cell', recordRow);
    if (cells.length < limits.maxColumns) cells.push(field);
    else if (field !== '') throw new SheetLimitError('columns', recordRow);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    if (rows.length >= limits.maxRows) throw new SheetLimitError('rows', recordRow);
    rows.push({ row: recordRow, cells });
    cells = [];
    recordRow++;
  };

  while (index < length) {
    const char = text.charCodeAt(index);
    if (quoted) {
      if (char === QUOTE) {
        if (text.charCodeAt(index + 1) === QUOTE) {
          field += '"';
          index += 2;
          continue;
        }
        quoted = false;
        index++;
        continue;
      }
      // Copy everything up to the next quote at once: quoted fields are where the long text is.
      const next = text.indexOf('"', index);
      const end = next === -1 ? length : next;
      field += text.slice(index, end);
      index = end;
      continue;
    }
    if (char === COMMA) {
      endField();
      index++;
    } else if (char === CR || char === LF) {
      endRecord();
      index += char === CR && text.charCodeAt(index + 1) === LF ? 2 : 1;
    } else if (char === QUOTE && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      index++;
    } else {
      let end = index + 1;
      while (end < length) {
        const next = text.charCodeAt(end);
        if (next === COMMA || next === CR || next === LF || next === QUOTE) break;
        end++;
      }
      // A quote that does not open the field is kept as text.
      field += text.slice(index, end);
      fieldStarted = true;
      index = end;
    }
  }
  if (quoted) {
    problems.push({
      row: recordRow,
      code: 'CSV.UNTERMINATED_QUOTE',
      messageZh: `第${recordRow}行起的引号没有闭合，文件其余部分都被读作同一个单元格；请检查该行的双引号`,
      messageEn: `A quote opened in row ${recordRow} is never closed, so the rest of the file reads as one cell; check the double quotes in that row`,
    });
  }
  // A final line break does not start another record.
  if (fieldStarted || field !== '' || cells.length > 0) endRecord();
  return { rows, problems };
}

/** Writes CSV as RFC 4180 describes it (CRLF line ends), quoting only the fields that need it. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes a UTF-8 file, dropping a byte order mark; undefined when the bytes are not UTF-8 (e.g. GBK from an old Excel). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
