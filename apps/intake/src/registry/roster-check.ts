import { park } from '@huoju/domain';
import type { FieldError, Principal } from '@huoju/platform';
import { checkEnterpriseInput, type EnterpriseInput } from './enterprise-input';
import {
  ROSTER_COLUMNS,
  columnOfPointer,
  isBlankRow,
  readHeader,
  readRow,
  rosterColumn,
  rosterHeader,
  type RosterField,
  type RosterHeader,
  type RosterRow,
} from './roster-columns';
import type { SheetRow } from './roster-csv';
import { remedyFor, type ImportError } from './roster-import.errors';

export interface CheckedRosterRow {
  readonly source: RosterRow;
  readonly value: EnterpriseInput;
  /** No errors of its own (it may still repeat another row). */
  readonly valid: boolean;
}

export type CheckedRoster =
  | { readonly ok: false; readonly errors: ImportError[] }
  | {
      readonly ok: true;
      readonly header: RosterHeader;
      readonly rows: CheckedRosterRow[];
      readonly errors: ImportError[];
      readonly warnings: ImportError[];
    };

/**
 * Everything that can be checked without the database: the header, each row with checkEnterpriseInput,
 * the same USCC or name twice, and a park team's rows for other parks. Not ok when the rows cannot be read
 * at all (no rows, or a header that does not name the columns).
 */
export function checkRoster(sheet: readonly SheetRow[], principal: Principal): CheckedRoster {
  const headerIndex = sheet.findIndex((row) => !isBlankRow(row));
  const dataRows = headerIndex < 0 ? [] : sheet.slice(headerIndex + 1).filter((row) => !isBlankRow(row));
  if (headerIndex < 0 || dataRows.length === 0) {
    return {
      ok: false,
      errors: [
        {
          row: 1,
          column: '',
          pointer: '',
          code: 'IMPORT.NO_ROWS',
          messageZh: '文件中没有表头或没有数据行',
          messageEn: 'The file has no header or no data rows',
          remedyZh: '按模板填写表头和至少一行企业数据',
          remedyEn: 'Fill in the header and at least one enterprise row as in the template',
        },
      ],
    };
  }
  const { header, errors: headerErrors } = readHeader(sheet[headerIndex]!);
  if (headerErrors.length > 0) return { ok: false, errors: headerErrors };

  const errors: ImportError[] = [];
  const warnings: ImportError[] = [];
  const rows = dataRows.map((sheetRow): CheckedRosterRow => {
    const source = readRow(sheetRow, header);
    const checked = checkEnterpriseInput(source.raw, rowPointer(source.row));
    const report = (issue: FieldError) => fieldError(source, header, issue);
    // A scope the row does not state is the default from validFrom: its problems are validFrom's.
    const stated = (issue: FieldError) => source.states.scope || fieldOf(issue.pointer).field !== 'scope';
    errors.push(...checked.errors.filter(stated).map(report));
    warnings.push(...checked.warnings.filter(stated).map(report));
    return { source, value: checked.value, valid: checked.errors.length === 0 };
  });
  errors.push(...duplicates(rows, header), ...outOfScope(rows, header, principal));
  return { ok: true, header, rows, errors, warnings };
}

/** Row and column of a problem found in a row's field, with the cell's content. */
export function placeError(
  source: RosterRow,
  header: RosterHeader,
  field: RosterField,
): Pick<ImportError, 'row' | 'column' | 'pointer' | 'value'> {
  const value = source.cells.get(field);
  return {
    row: source.row,
    column: columnName(header, field),
    pointer: `${rowPointer(source.row)}${pointerOf(field)}`,
    ...(value ? { value } : {}),
  };
}

/** By row, and within a row in column order, as a person goes through the spreadsheet. */
export function sortImportErrors(errors: readonly ImportError[]): ImportError[] {
  const order = new Map(ROSTER_COLUMNS.map((column, index) => [column.field, index]));
  const rank = (error: ImportError) => order.get(fieldOf(error.pointer).field) ?? 0;
  return [...errors].sort((a, b) => a.row - b.row || rank(a) - rank(b));
}

function fieldError(source: RosterRow, header: RosterHeader, issue: FieldError): ImportError {
  const { field, item } = fieldOf(issue.pointer);
  const remedy = remedyFor(issue.code, {
    parkCode: source.cells.get('parkCode'),
    subParkCode: source.cells.get('subParkCode'),
  });
  return {
    ...placeError(source, header, field),
    pointer: issue.pointer,
    code: issue.code,
    messageZh: issue.messageZh,
    messageEn: issue.messageEn,
    ...(item ? { item } : {}),
    ...remedy,
  };
}

function duplicates(rows: readonly CheckedRosterRow[], header: RosterHeader): ImportError[] {
  const errors: ImportError[] = [];
  const kinds = [
    {
      field: 'uscc',
      code: 'IMPORT.DUPLICATE_USCC',
      zh: '统一社会信用代码',
      en: 'USCC',
      key: (row: CheckedRosterRow) => row.value.uscc,
    },
    {
      field: 'nameZh',
      code: 'IMPORT.DUPLICATE_NAME',
      zh: '企业名称',
      en: 'name',
      key: (row: CheckedRosterRow) => row.value.nameZh,
    },
  ] as const;
  for (const kind of kinds) {
    const first = new Map<string, number>();
    for (const row of rows) {
      const value = kind.key(row);
      if (value === '') continue;
      const seen = first.get(value);
      if (seen === undefined) {
        first.set(value, row.source.row);
        continue;
      }
      errors.push({
        ...placeError(row.source, header, kind.field),
        code: kind.code,
        messageZh: `${kind.zh}与第${seen}行重复`,
        messageEn: `The ${kind.en} repeats row ${seen}`,
        remedyZh: '每家企业只保留一行：删除重复行，或更正其中一行',
        remedyEn: 'Keep one row per enterprise: delete the repeated row or correct one of them',
      });
    }
  }
  return errors;
}

/** A park team imports the enterprises of its own parks only. */
function outOfScope(rows: readonly CheckedRosterRow[], header: RosterHeader, principal: Principal): ImportError[] {
  if (principal.role !== 'park') return [];
  return rows
    .filter((row) => park(row.value.parkCode) && !principal.scope.includes(row.value.parkCode))
    .map((row) => ({
      ...placeError(row.source, header, 'parkCode'),
      code: 'IMPORT.PARK_OUT_OF_SCOPE',
      messageZh: `园区 ${row.value.parkCode} 不在您的管辖范围（${principal.scope.join('、')}）内`,
      messageEn: `Park ${row.value.parkCode} is outside your scope (${principal.scope.join(', ')})`,
      remedyZh: '只导入本园区的企业；其他园区的企业由该园区或管理员导入',
      remedyEn: 'Import only your own park’s enterprises; other parks’ teams or an administrator import theirs',
    }));
}

function rowPointer(row: number): string {
  return `/rows/${row}`;
}

/** The column of a /rows/{row}/… pointer. */
function fieldOf(pointer: string): ReturnType<typeof columnOfPointer> {
  return columnOfPointer(pointer.replace(/^\/rows\/\d+/, ''));
}

function columnName(header: RosterHeader, field: RosterField): string {
  return header.names.get(field) ?? rosterHeader(rosterColumn(field));
}

function pointerOf(field: RosterField): string {
  return field.startsWith('contact') ? `/contact/${field.charAt(7).toLowerCase()}${field.slice(8)}` : `/${field}`;
}
