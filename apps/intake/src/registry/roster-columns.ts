import { computeUsccCheckCharacter } from '@huoju/domain';
import type { SheetRow } from './roster-csv';
import type { ImportError } from './roster-import.errors';

export type RosterField =
  | 'uscc'
  | 'nameZh'
  | 'industryCode'
  | 'registeredDistrict'
  | 'contactName'
  | 'contactPhone'
  | 'contactEmail'
  | 'parkCode'
  | 'subParkCode'
  | 'carrierCode'
  | 'streetCode'
  | 'validFrom'
  | 'qualifications'
  | 'industryTags'
  | 'scope';

export interface RosterColumn {
  readonly field: RosterField;
  readonly headerZh: string;
  /** A file without an optional column leaves that part of existing enterprises as it is. */
  readonly required: boolean;
  readonly example: string;
  readonly noteZh: string;
}

const EXAMPLE_USCC_BODY = '91310107MA1FL3XB5';

/** The columns of a roster file in template order. A header may be the Chinese name, the field name, or both ("统一社会信用代码 uscc"). */
export const ROSTER_COLUMNS: readonly RosterColumn[] = [
  {
    field: 'uscc',
    headerZh: '统一社会信用代码',
    required: true,
    example: EXAMPLE_USCC_BODY + computeUsccCheckCharacter(EXAMPLE_USCC_BODY),
    noteZh: '18位，照营业执照填写',
  },
  {
    field: 'nameZh',
    headerZh: '企业名称',
    required: true,
    example: '上海示例智能科技有限公司',
    noteZh: '与营业执照一致，2至100个字符',
  },
  {
    field: 'industryCode',
    headerZh: '行业代码',
    required: true,
    example: 'I6513',
    noteZh: 'GB/T 4754-2017 小类，可带门类字母，如 I6513',
  },
  {
    field: 'registeredDistrict',
    headerZh: '注册地区划代码',
    required: true,
    example: '310107',
    noteZh: '登记机关所在区的6位代码',
  },
  { field: 'contactName', headerZh: '统计联系人', required: true, example: '张明', noteZh: '' },
  { field: 'contactPhone', headerZh: '联系电话', required: true, example: '021-62345678', noteZh: '' },
  { field: 'contactEmail', headerZh: '电子邮箱', required: true, example: 'tongji@example.com', noteZh: '' },
  { field: 'parkCode', headerZh: '园区代码', required: true, example: 'PT', noteZh: '如 PT（普陀园）、CN（长宁园）' },
  { field: 'subParkCode', headerZh: '分园代码', required: true, example: 'PT-CHANGFENG', noteZh: '须属于所填园区' },
  { field: 'carrierCode', headerZh: '载体代码', required: false, example: '', noteZh: '可留空；须属于所填园区' },
  {
    field: 'streetCode',
    headerZh: '街镇代码',
    required: true,
    example: '310107014',
    noteZh: '经营地街镇的9位统计用区划代码',
  },
  {
    field: 'validFrom',
    headerZh: '生效日期',
    required: true,
    example: '2025-01-01',
    noteZh: '园区归属和街镇自该日起生效（YYYY-MM-DD）；变更时旧记录截至前一日',
  },
  {
    field: 'qualifications',
    headerZh: '资质',
    required: false,
    example: 'HNTE:2024-11-20:2027-11-19:GR202431001234;SRDI:2025-03-01',
    noteZh: '标签:起始日期[:截止日期[:证书编号]]，多项用分号分隔；列出企业的全部资质记录',
  },
  { field: 'industryTags', headerZh: '产业标签', required: false, example: 'AI;IC', noteZh: '多项用分号分隔' },
  {
    field: 'scope',
    headerZh: '报表范围',
    required: false,
    example: 'torch-monthly:2025-01-01;torch-annual:2025-01-01',
    noteZh: '报表:起始日期[:截止日期]，多项用分号分隔；留空时新企业自生效日期起填报月报和年报，已有企业保持不变',
  },
];

const COLUMN_BY_FIELD = new Map(ROSTER_COLUMNS.map((column) => [column.field, column]));

/** The header the template writes: Chinese name and field name. */
export function rosterHeader(column: RosterColumn): string {
  return `${column.headerZh} ${column.field}`;
}

export function rosterColumn(field: RosterField): RosterColumn {
  return COLUMN_BY_FIELD.get(field)!;
}

/** Where each column is in the file, and its header as written there (errors name it the way the user sees it). */
export interface RosterHeader {
  readonly row: number;
  readonly positions: ReadonlyMap<RosterField, number>;
  readonly names: ReadonlyMap<RosterField, string>;
}

/** Recognises the header row; a blank header cell is ignored (e.g. an unnamed notes column), anything unknown is an error. */
export function readHeader(header: SheetRow): { header: RosterHeader; errors: ImportError[] } {
  const positions = new Map<RosterField, number>();
  const names = new Map<RosterField, string>();
  const errors: ImportError[] = [];
  header.cells.forEach((cell, index) => {
    const name = cell.trim();
    if (name === '') return;
    const field = fieldOfHeader(name);
    if (!field) {
      errors.push({
        row: header.row,
        column: name,
        pointer: `/rows/${header.row}`,
        code: 'IMPORT.COLUMN_UNKNOWN',
        messageZh: `无法识别的列“${name}”`,
        messageEn: `Unknown column "${name}"`,
        remedyZh: `列名使用模板中的中文名或英文名，例如“${rosterHeader(ROSTER_COLUMNS[0]!)}”；不需要的列请删除或清空列名`,
        remedyEn: `Name columns as in the template, in Chinese or English, e.g. "${rosterHeader(ROSTER_COLUMNS[0]!)}"; delete columns you do not need or clear their header`,
      });
    } else if (positions.has(field)) {
      errors.push({
        row: header.row,
        column: name,
        pointer: `/rows/${header.row}`,
        code: 'IMPORT.COLUMN_DUPLICATE',
        messageZh: `列“${name}”与列“${names.get(field)}”重复`,
        messageEn: `Column "${name}" repeats column "${names.get(field)}"`,
        remedyZh: '删除其中一列',
        remedyEn: 'Delete one of them',
      });
    } else {
      positions.set(field, index);
      names.set(field, name);
    }
  });
  for (const column of ROSTER_COLUMNS) {
    if (column.required && !positions.has(column.field)) {
      errors.push({
        row: header.row,
        column: rosterHeader(column),
        pointer: `/rows/${header.row}`,
        code: 'IMPORT.COLUMN_MISSING',
        messageZh: `缺少必填列“${rosterHeader(column)}”`,
        messageEn: `The required column "${rosterHeader(column)}" is missing`,
        remedyZh: '按模板（GET /v1/enterprises:import/template）补上该列',
        remedyEn: 'Add the column as in the template (GET /v1/enterprises:import/template)',
      });
    }
  }
  return { header: { row: header.row, positions, names }, errors };
}

/** Matches "统一社会信用代码 uscc", "统一社会信用代码（uscc）", "统一社会信用代码", "USCC", "*uscc"… */
export function fieldOfHeader(header: string): RosterField | undefined {
  const tokens = header
    .replace(/[()（）[\]【】*＊:：]/g, ' ')
    .split(/\s+/)
    .filter((token) => token !== '');
  if (tokens.length === 0) return undefined;
  return ROSTER_COLUMNS.find((column) =>
    tokens.every((token) => token === column.headerZh || token.toLowerCase() === column.field.toLowerCase()),
  )?.field;
}

/** What a data row says, as the input checkEnterpriseInput takes, plus which optional parts it states at all. */
export interface RosterRow {
  readonly row: number;
  readonly raw: Record<string, unknown>;
  readonly cells: ReadonlyMap<RosterField, string>;
  /** Optional columns absent from the file (and an empty scope cell) leave an existing enterprise's values alone. */
  readonly states: {
    readonly carrierCode: boolean;
    readonly qualifications: boolean;
    readonly industryTags: boolean;
    readonly scope: boolean;
  };
}

export function readRow(row: SheetRow, header: RosterHeader): RosterRow {
  const cells = new Map<RosterField, string>();
  for (const [field, position] of header.positions) cells.set(field, (row.cells[position] ?? '').trim());
  const cell = (field: RosterField) => cells.get(field) ?? '';
  const scopeCell = cell('scope');
  return {
    row: row.row,
    cells,
    states: {
      carrierCode: header.positions.has('carrierCode'),
      qualifications: header.positions.has('qualifications'),
      industryTags: header.positions.has('industryTags'),
      scope: scopeCell !== '',
    },
    raw: {
      uscc: cell('uscc'),
      nameZh: cell('nameZh'),
      industryCode: cell('industryCode'),
      registeredDistrict: cell('registeredDistrict'),
      contact: { name: cell('contactName'), phone: cell('contactPhone'), email: cell('contactEmail') },
      parkCode: cell('parkCode'),
      subParkCode: cell('subParkCode'),
      carrierCode: cell('carrierCode'),
      streetCode: cell('streetCode'),
      validFrom: normalizeDate(cell('validFrom')),
      qualifications: listItems(cell('qualifications')).map((item) => {
        const [tag = '', validFrom = '', validTo = '', ...certificate] = item.split(/[:：]/).map((part) => part.trim());
        return {
          tag,
          validFrom: normalizeDate(validFrom),
          validTo: normalizeDate(validTo),
          certificateNo: certificate.join(':'),
        };
      }),
      industryTags: cell('industryTags')
        .split(/[;；,，、\s]+/)
        .filter((tag) => tag !== ''),
      ...(scopeCell === ''
        ? {}
        : {
            scope: listItems(scopeCell).map((item) => {
              const [formId = '', validFrom = '', validTo = ''] = item.split(/[:：]/).map((part) => part.trim());
              return { formId, validFrom: normalizeDate(validFrom), validTo: normalizeDate(validTo) };
            }),
          }),
    },
  };
}

export function isBlankRow(row: SheetRow): boolean {
  return row.cells.every((cell) => cell.trim() === '');
}

/** The column an enterprise field error belongs to, e.g. /contact/phone → contactPhone, /scope/1/formId → scope item 2. */
export function columnOfPointer(pointer: string): { field: RosterField; item?: number } {
  const [, first = '', second = ''] = pointer.split('/');
  if (first === 'contact')
    return { field: `contact${second.charAt(0).toUpperCase()}${second.slice(1)}` as RosterField };
  const field = COLUMN_BY_FIELD.has(first as RosterField) ? (first as RosterField) : 'uscc';
  const item = /^\d+$/.test(second) ? Number(second) + 1 : undefined;
  return item === undefined ? { field } : { field, item };
}

/** 2025/1/1, 2025.1.1 and 2025年1月1日 are how spreadsheets often show dates; the roster stores YYYY-MM-DD. */
export function normalizeDate(text: string): string {
  const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text.trim());
  return match ? `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}` : text.trim();
}

function listItems(cell: string): string[] {
  return cell
    .split(/[;；\r\n]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
