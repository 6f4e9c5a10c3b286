import { Readable } from 'node:stream';
import { Workbook, stream, type CellValue } from 'exceljs';
import type { SheetRow } from './roster-csv';
import { SheetLimitError, type SheetLimits } from './sheet-limits';

/**
 * Reads the first worksheet of an XLSX file row by row with exceljs's streaming reader, so only the
 * cells' text is kept, not a workbook model. Empty rows are skipped; row numbers are the sheet's own.
 * Throws SheetLimitError at the first row, cell or character past `limits` (a zip expands a lot; check its
 * sizes with checkXlsxZip first, since exceljs caches the whole shared-strings table), or exceljs/unzipper's
 * error for a broken file. Empty cells past the column limit are ignored.
 */
export async function readXlsxRows(bytes: Buffer, limits: SheetLimits): Promise<SheetRow[]> {
  const reader = new stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell a date cell from a number.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const rows: SheetRow[] = [];
  let first = true;
  for await (const worksheet of reader) {
    // Later sheets (notes, lookups) are read through so the zip stream ends, and ignored.
    for await (const row of worksheet) {
      if (!first) continue;
      if (rows.length >= limits.maxRows) throw new SheetLimitError('rows', row.number);
      const values = Array.isArray(row.values) ? (row.values as CellValue[]) : [];
      const cells: string[] = [];
      // exceljs puts column A at index 1.
      for (let column = 1; column < values.length; column++) {
        const text = cellText(values[column]);
        if (text.length > limits.maxCellChars) throw new SheetLimitError('cell', row.number);
        if (column <= limits.maxColumns) cells.push(text);
        else if (text !== '') throw new SheetLimitError('columns', row.number);
      }
      rows.push({ row: row.number, cells });
    }
    first = false;
  }
  return rows;
}

/** The text a person sees in a cell: dates as YYYY-MM-DD, formulas by their result, rich text joined. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  // exceljs gives dates as UTC midnight of the spreadsheet's calendar day.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('hyperlink' in value) return String(value.text ?? '');
  if ('error' in value) return value.error;
  if ('result' in value) return value.result === undefined ? '' : cellText(value.result);
  return '';
}

/** A one-sheet workbook whose cells are all text, so Excel keeps codes such as 310107014 or leading zeros as typed. */
export async function writeXlsx(
  sheetName: string,
  rows: readonly (readonly string[])[],
  notes: readonly string[] = [],
): Promise<Buffer> {
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  const width = rows[0]?.length ?? 0;
  sheet.columns = Array.from({ length: width }, (_, index) => ({
    width: Math.min(60, Math.max(14, ...rows.map((cells) => displayWidth(cells[index] ?? '')))),
    style: { numFmt: '@' },
  }));
  for (const cells of rows) sheet.addRow([...cells]);
  const header = sheet.getRow(1);
  header.font = { bold: true };
  notes.forEach((note, index) => {
    if (note) header.getCell(index + 1).note = note;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function displayWidth(text: string): number {
  // CJK characters take about two columns.
  let width = 0;
  for (const char of text) width += char.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return width + 2;
}
