/**
 * What one roster file may hold, checked while it is read so that reading stops at the first excess:
 * records (the header included), cells per record and characters per cell (Excel's own cell limit).
 */
export interface SheetLimits {
  readonly maxRows: number;
  readonly maxColumns: number;
  readonly maxCellChars: number;
}

export const NO_SHEET_LIMITS: SheetLimits = { maxRows: Infinity, maxColumns: Infinity, maxCellChars: Infinity };

/** Excel refuses longer cells, so no honest spreadsheet has one. */
export const MAX_CELL_CHARS = 32_767;

/** Thrown by the readers at the first record, cell or character past a limit; `row` is the sheet's row. */
export class SheetLimitError extends Error {
  constructor(
    readonly limit: 'rows' | 'columns' | 'cell',
    readonly row: number,
  ) {
    super(`sheet limit passed (${limit}) at row ${row}`);
  }
}
