import { decodeUtf8, parseCsv, toCsv, type SheetRow } from './roster-csv';
import { ROSTER_COLUMNS, rosterHeader } from './roster-columns';
import type { ImportError } from './roster-import.errors';
import { readXlsxRows, writeXlsx } from './roster-xlsx';
import { MAX_CELL_CHARS, SheetLimitError, type SheetLimits } from './sheet-limits';
import { checkXlsxZip } from './xlsx-zip-limits';

export const ROSTER_MEDIA_TYPES = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export type RosterFormat = keyof typeof ROSTER_MEDIA_TYPES;

/** Rows one import takes; a larger roster is imported in parts. */
export const MAX_ROSTER_ROWS = 50_000;
/** Cells a row may fill: the template has 15 columns, this leaves room for a person's own notes columns. */
export const MAX_ROSTER_COLUMNS = 64;

export function formatOfMediaType(contentType: string | undefined): RosterFormat | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return (Object.keys(ROSTER_MEDIA_TYPES) as RosterFormat[]).find((format) => ROSTER_MEDIA_TYPES[format] === mediaType);
}

/** The rows of a roster file, or the reasons it cannot be read at all (reported as row 1 problems). */
export async function readRosterSheet(
  bytes: Buffer,
  format: RosterFormat,
  maxRows = MAX_ROSTER_ROWS,
): Promise<{ rows: SheetRow[]; errors: ImportError[] }> {
  if (bytes.length === 0) return { rows: [], errors: [] };
  if (format === 'csv') {
    if (isZip(bytes))
      return unreadable(
        '这是一个 XLSX 文件，却以 CSV 格式上传',
        'This is an XLSX file sent as CSV',
        `请以 Content-Type: ${ROSTER_MEDIA_TYPES.xlsx} 上传`,
        `Send it with Content-Type: ${ROSTER_MEDIA_TYPES.xlsx}`,
      );
    const text = decodeUtf8(bytes);
    if (text === undefined) {
      return unreadable(
        '文件不是 UTF-8 编码（可能是 GBK）',
        'The file is not UTF-8 (perhaps GBK)',
        '在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”，或直接上传 XLSX',
        'In Excel use "Save as → CSV UTF-8 (comma delimited)", or upload the XLSX',
      );
    }
    let parsed: ReturnType<typeof parseCsv>;
    try {
      parsed = parseCsv(text, sheetLimits(maxRows));
    } catch (error) {
      if (error instanceof SheetLimitError) return limitPassed(error, maxRows);
      throw error;
    }
    const { rows, problems } = parsed;
    return {
      rows,
      errors: problems.map((p) => ({
        row: p.row,
        column: '',
        pointer: `/rows/${p.row}`,
        code: p.code,
        messageZh: p.messageZh,
        messageEn: p.messageEn,
      })),
    };
  }
  if (!isZip(bytes)) {
    return isOle2(bytes)
      ? unreadable(
          '这是旧版 Excel 97-2003（.xls）文件',
          'This is an old Excel 97-2003 (.xls) file',
          '在 Excel 中另存为 .xlsx 后再上传',
          'Save it as .xlsx in Excel and upload that',
        )
      : unreadable(
          '文件不是 XLSX 格式',
          'The file is not an XLSX workbook',
          '上传 Excel 保存的 .xlsx 文件，或 UTF-8 编码的 CSV',
          'Upload an .xlsx saved by Excel, or a UTF-8 CSV',
        );
  }
  const refusal = await checkXlsxZip(bytes);
  if (refusal?.kind === 'too-large') return tooLarge(refusal.part);
  try {
    if (refusal) throw new Error('damaged zip');
    return { rows: await readXlsxRows(bytes, sheetLimits(maxRows)), errors: [] };
  } catch (error) {
    if (error instanceof SheetLimitError) return limitPassed(error, maxRows);
    return unreadable(
      'XLSX 文件已损坏或无法读取',
      'The XLSX file is damaged or cannot be read',
      '在 Excel 中打开并重新保存后再上传',
      'Open it in Excel, save it again and upload that',
    );
  }
}

/** The template: the header row and one example row. CSV gets a byte order mark so that Excel opens it as UTF-8. */
export async function rosterTemplate(format: RosterFormat): Promise<Buffer> {
  const rows = [ROSTER_COLUMNS.map(rosterHeader), ROSTER_COLUMNS.map((column) => column.example)];
  if (format === 'csv') return Buffer.from('\uFEFF' + toCsv(rows), 'utf8');
  return writeXlsx(
    '企业名录 roster',
    rows,
    ROSTER_COLUMNS.map((column) => [column.required ? '必填' : '选填', column.noteZh].filter(Boolean).join('。')),
  );
}

function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304;
}

function isOle2(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32BE(0) === 0xd0cf11e0;
}

function unreadable(
  messageZh: string,
  messageEn: string,
  remedyZh: string,
  remedyEn: string,
): { rows: SheetRow[]; errors: ImportError[] } {
  return {
    rows: [],
    errors: [
      { row: 1, column: '', pointer: '', code: 'IMPORT.FILE_UNREADABLE', messageZh, messageEn, remedyZh, remedyEn },
    ],
  };
}

function sheetLimits(maxRows: number): SheetLimits {
  // +1: the header row does not count.
  return { maxRows: maxRows + 1, maxColumns: MAX_ROSTER_COLUMNS, maxCellChars: MAX_CELL_CHARS };
}

function limitPassed(error: SheetLimitError, maxRows: number): { rows: SheetRow[]; errors: ImportError[] } {
  const problem = { row: error.row, column: '', pointer: `/rows/${error.row}` };
  switch (error.limit) {
    case 'rows':
      return refused({
        ...problem,
        code: 'IMPORT.TOO_MANY_ROWS',
        messageZh: `文件超过 ${maxRows} 行数据`,
        messageEn: `The file has more than ${maxRows} data rows`,
        remedyZh: `拆分为每个不超过 ${maxRows} 行的文件分别导入`,
        remedyEn: `Split it into files of at most ${maxRows} rows each`,
      });
    case 'columns':
      return refused({
        ...problem,
        code: 'IMPORT.TOO_MANY_COLUMNS',
        messageZh: `第${error.row}行超过 ${MAX_ROSTER_COLUMNS} 列`,
        messageEn: `Row ${error.row} has more than ${MAX_ROSTER_COLUMNS} columns`,
        remedyZh: '删除模板以外多余的列后再上传',
        remedyEn: 'Delete the columns the template does not have and upload again',
      });
    case 'cell':
      return refused({
        ...problem,
        code: 'IMPORT.CELL_TOO_LONG',
        messageZh: `第${error.row}行有单元格超过 ${MAX_CELL_CHARS} 个字符`,
        messageEn: `A cell in row ${error.row} has more than ${MAX_CELL_CHARS} characters`,
        remedyZh: '检查该行是否有未闭合的引号或粘贴错误的内容',
        remedyEn: 'Check that row for an unclosed quote or wrongly pasted text',
      });
  }
}

function tooLarge(part: string): { rows: SheetRow[]; errors: ImportError[] } {
  return refused({
    row: 1,
    column: '',
    pointer: '',
    code: 'IMPORT.FILE_TOO_LARGE',
    value: part,
    messageZh: '该 XLSX 文件解压后过大（可能是“压缩炸弹”），未读取',
    messageEn: 'This XLSX file expands to too much data (perhaps a zip bomb); it was not read',
    remedyZh: `每次导入不超过 ${MAX_ROSTER_ROWS} 行；删除多余的工作表和格式后重新保存`,
    remedyEn: `Import at most ${MAX_ROSTER_ROWS} rows at a time; delete extra sheets and formatting and save again`,
  });
}

function refused(error: ImportError): { rows: SheetRow[]; errors: ImportError[] } {
  return { rows: [], errors: [error] };
}
