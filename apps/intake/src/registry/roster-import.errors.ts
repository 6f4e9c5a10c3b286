import { carriers, formIds, industryTags, parks, qualificationTags, subPark, subParks } from '@huoju/domain';
import type { FieldError } from '@huoju/platform';

/**
 * One problem of a roster file, where a person fixing the spreadsheet looks for it: the row as the
 * spreadsheet numbers it (header = row 1) and the column's header as written in the file.
 * `pointer` is /rows/{row} followed by the enterprise field (e.g. /rows/17/contact/phone).
 */
export interface ImportError extends FieldError {
  readonly row: number;
  readonly column: string;
  /** The cell's content, when it helps to see it. */
  readonly value?: string;
  /** For list cells (qualifications, industry tags, scope): which item, counting from 1. */
  readonly item?: number;
  readonly remedyZh?: string;
  readonly remedyEn?: string;
}

/**
 * Codes of the roster import on top of the enterprise field codes (USCC.*, PARK.UNKNOWN, …):
 * - IMPORT.FILE_UNREADABLE   the bytes are not a CSV (UTF-8) or XLSX file
 * - IMPORT.NO_ROWS           no header or no data rows
 * - IMPORT.TOO_MANY_ROWS     more rows than one import takes
 * - IMPORT.TOO_MANY_COLUMNS  a row fills more columns than one import reads
 * - IMPORT.CELL_TOO_LONG     a cell longer than Excel allows
 * - IMPORT.FILE_TOO_LARGE    an XLSX that expands past the size limits (a zip bomb); `value` names the part
 * - IMPORT.COLUMN_MISSING / IMPORT.COLUMN_UNKNOWN / IMPORT.COLUMN_DUPLICATE   header problems
 * - IMPORT.DUPLICATE_USCC / IMPORT.DUPLICATE_NAME   the same enterprise twice in the file
 * - IMPORT.NAME_TAKEN        another enterprise of the roster has this name
 * - IMPORT.PARK_OUT_OF_SCOPE a park team's row for another park
 * - IMPORT.VALID_FROM_TOO_EARLY  a change dated before the period it would replace
 * - CSV.UNTERMINATED_QUOTE   a quote never closed
 * The whole response is IMPORT.INVALID (422) listing these; IMPORT.MEDIA_TYPE (415) for a body that is not
 * a CSV or XLSX file, IMPORT.CONFLICT (409) when a concurrent change took a USCC or name the file registers.
 */
export type ImportErrorCode =
  | 'IMPORT.FILE_UNREADABLE'
  | 'IMPORT.NO_ROWS'
  | 'IMPORT.TOO_MANY_ROWS'
  | 'IMPORT.TOO_MANY_COLUMNS'
  | 'IMPORT.CELL_TOO_LONG'
  | 'IMPORT.FILE_TOO_LARGE'
  | 'IMPORT.COLUMN_MISSING'
  | 'IMPORT.COLUMN_UNKNOWN'
  | 'IMPORT.COLUMN_DUPLICATE'
  | 'IMPORT.DUPLICATE_USCC'
  | 'IMPORT.DUPLICATE_NAME'
  | 'IMPORT.NAME_TAKEN'
  | 'IMPORT.PARK_OUT_OF_SCOPE'
  | 'IMPORT.VALID_FROM_TOO_EARLY';

interface Remedy {
  readonly remedyZh: string;
  readonly remedyEn: string;
}

/** How to fix a field error, where the message alone does not say it; `context` holds the row's other cells. */
export function remedyFor(code: string, context: { parkCode?: string; subParkCode?: string }): Remedy | undefined {
  switch (code) {
    case 'PARK.UNKNOWN':
      return {
        remedyZh: `请填写园区代码之一：${parks()
          .map((p) => `${p.code}（${p.nameZh}）`)
          .join('、')}`,
        remedyEn: `Use one of the park codes: ${parks()
          .map((p) => p.code)
          .join(', ')}`,
      };
    case 'SUB_PARK.UNKNOWN': {
      const options = context.parkCode ? subParks(context.parkCode) : [];
      if (options.length === 0)
        return {
          remedyZh: '请先填写正确的园区代码，再填写该园区下的分园代码',
          remedyEn: 'Fix the park code first, then use a sub-park of that park',
        };
      return {
        remedyZh: `园区 ${context.parkCode} 的分园代码：${options.map((s) => `${s.code}（${s.nameZh}）`).join('、')}`,
        remedyEn: `Sub-parks of ${context.parkCode}: ${options.map((s) => s.code).join(', ')}`,
      };
    }
    case 'CARRIER.UNKNOWN': {
      const options = context.parkCode ? carriers(context.parkCode) : [];
      return options.length === 0
        ? {
            remedyZh: '该园区没有登记载体，请将载体代码留空',
            remedyEn: 'This park has no registered carriers; leave the carrier empty',
          }
        : {
            remedyZh: `请留空或填写园区 ${context.parkCode} 的载体代码：${options.map((c) => c.code).join('、')}`,
            remedyEn: `Leave it empty or use a carrier of ${context.parkCode}: ${options.map((c) => c.code).join(', ')}`,
          };
    }
    case 'STREET.UNKNOWN': {
      const streets = subPark(context.subParkCode ?? '')?.streetCodes ?? [];
      return streets.length === 0
        ? {
            remedyZh: '请填写企业经营地所在街镇的9位统计用区划代码',
            remedyEn: 'Use the 9-digit statistical code of the street/town where the enterprise operates',
          }
        : {
            remedyZh: `分园 ${context.subParkCode} 覆盖的街镇代码：${streets.join('、')}`,
            remedyEn: `Street/town codes of sub-park ${context.subParkCode}: ${streets.join(', ')}`,
          };
    }
    case 'DATE.INVALID':
      return {
        remedyZh: '日期写作 YYYY-MM-DD，例如 2025-01-01；截止日期不得早于起始日期',
        remedyEn: 'Write dates as YYYY-MM-DD, e.g. 2025-01-01; an end date is not before its start',
      };
    case 'QUALIFICATION.UNKNOWN':
      return {
        remedyZh: `资质写作 标签:起始日期[:截止日期[:证书编号]]，多项用分号分隔；标签之一：${qualificationTags()
          .map((q) => `${q.code}（${q.nameZh}）`)
          .join('、')}`,
        remedyEn: `Write tag:validFrom[:validTo[:certificateNo]], items separated by semicolons; tags: ${qualificationTags()
          .map((q) => q.code)
          .join(', ')}`,
      };
    case 'INDUSTRY_TAG.UNKNOWN':
      return {
        remedyZh: `产业标签用分号分隔，标签之一：${industryTags()
          .map((t) => `${t.code}（${t.nameZh}）`)
          .join('、')}`,
        remedyEn: `Separate industry tags with semicolons; tags: ${industryTags()
          .map((t) => t.code)
          .join(', ')}`,
      };
    case 'FORM.UNKNOWN':
      return {
        remedyZh: `报表范围写作 报表:起始日期[:截止日期]，报表为 ${formIds().join(' 或 ')}，多项用分号分隔`,
        remedyEn: `Write form:validFrom[:validTo] with ${formIds().join(' or ')}, items separated by semicolons`,
      };
    case 'CONTACT.PHONE':
      return {
        remedyZh: '填写6至20位数字，可含 + - ( ) 和空格，例如 021-62345678 或 13812345678',
        remedyEn: 'Use 6 to 20 digits, optionally with + - ( ) and spaces, e.g. 021-62345678',
      };
    case 'CONTACT.EMAIL':
      return {
        remedyZh: '填写完整的电子邮箱，例如 tongji@example.com',
        remedyEn: 'Use a full e-mail address, e.g. tongji@example.com',
      };
    case 'ENTERPRISE.DISTRICT':
      return {
        remedyZh: '填写营业执照登记机关所在区的6位代码，例如普陀区 310107',
        remedyEn: 'Use the 6-digit code of the registering district, e.g. 310107 for Putuo',
      };
    default:
      return undefined;
  }
}
