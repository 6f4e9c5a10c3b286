import ExcelJS from 'exceljs';
import { neutralizeFormula } from '@huoju/domain';
import { toCsv } from '../aggregates/csv';
import { STATUS_ZH, WORK_QUEUE_ORDER } from './compliance-status';
import type { ComplianceView, TrendView } from './compliance.service';

export type ExportFormat = 'json' | 'csv' | 'xlsx';
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Cell = string | number | boolean | null;

const QUEUE_HEADER = [
  'status',
  'statusZh',
  'uscc',
  'nameZh',
  'contactName',
  'contactPhone',
  'contactEmail',
  'parkCode',
  'parkNameZh',
  'subParkCode',
  'carrierCode',
  'streetCode',
  'streetNameZh',
  'latestOutcome',
  'firstReceivedAt',
  'daysLate',
  'dueOn',
  'graceEndsOn',
  'locksOn',
  'industryCode',
  'lastReminderKind',
  'lastReminderAt',
  'lastReminderDelivery',
];
const QUEUE_HEADER_ZH = [
  '状态',
  '状态（中文）',
  '统一社会信用代码',
  '企业名称',
  '联系人',
  '联系电话',
  '电子邮箱',
  '园区',
  '园区名称',
  '子园',
  '载体',
  '街镇代码',
  '街镇',
  '最新审核结果',
  '首次报送时间',
  '逾期天数',
  '截止日期',
  '宽限期截止',
  '锁定日期',
  '行业代码',
  '最近催报',
  '最近催报时间',
  '催报送达情况',
];
const TREND_HEADER = [
  'period',
  'expected',
  'filed',
  'filedOnTime',
  'filingRate',
  'onTimeRate',
  ...WORK_QUEUE_ORDER,
  'dueOn',
  'graceEndsOn',
  'locksOn',
];

function queueRows(view: ComplianceView): Cell[][] {
  return view.queue.map((item) => [
    item.status,
    item.statusZh,
    item.uscc,
    item.nameZh,
    item.contact.name,
    item.contact.phone,
    item.contact.email,
    item.parkCode,
    item.parkNameZh,
    item.subParkCode,
    item.carrierCode,
    item.streetCode,
    item.streetNameZh,
    item.latestOutcome,
    item.firstReceivedAt,
    item.daysLate,
    item.dueOn,
    item.graceEndsOn,
    item.locksOn,
    item.industryCode,
    item.lastReminder?.kind ?? null,
    item.lastReminder?.sentAt ?? null,
    // e.g. "street 310107005 delivered; park PT pending"
    item.lastReminder?.deliveries.map((d) => `${d.targetKind} ${d.targetCode} ${d.state}`).join('; ') ?? null,
  ]);
}

function trendRows(view: TrendView): Cell[][] {
  return view.points.map((p) => [
    p.period,
    p.expected,
    p.filed,
    p.filedOnTime,
    p.filingRate,
    p.onTimeRate,
    ...WORK_QUEUE_ORDER.map((s) => p.counts[s]),
    p.dueOn,
    p.graceEndsOn,
    p.locksOn,
  ]);
}

function scopeLabel(view: ComplianceView | TrendView): string {
  return view.scope.kind === 'zone' ? 'zone' : `${view.scope.kind}-${view.scope.codes.join('+')}`;
}

export function exportFileName(view: ComplianceView | TrendView, format: 'csv' | 'xlsx'): string {
  const what = 'period' in view ? `compliance-${view.formId}-${view.period}` : `compliance-trend-${view.formId}`;
  return `${what}-${scopeLabel(view)}.${format}`;
}

/** The work queue as CSV: one row per enterprise not filed on time, in work-queue order. */
export function workQueueCsv(view: ComplianceView): string {
  return toCsv(QUEUE_HEADER, queueRows(view));
}

export function trendCsv(view: TrendView): string {
  return toCsv(TREND_HEADER, trendRows(view));
}

/** Summary sheet (rates, counts, the calendar) and the work queue with Chinese column names. */
export async function workQueueXlsx(view: ComplianceView): Promise<Buffer> {
  const workbook = newWorkbook();
  const summary = workbook.addWorksheet('概况 Summary');
  summary.columns = [{ width: 28 }, { width: 36 }];
  const lines: [string, Cell][] = [
    ['报表 form', view.formId],
    ['报告期 period', view.period],
    [
      '范围 scope',
      `${view.scope.kind} ${view.scope.codes.join(', ')} ${view.scope.namesZh.filter(Boolean).join('、')}`.trim(),
    ],
    ['截至 as of', view.asOf],
    ['截止日期 due on', view.calendar.dueOn],
    ['宽限期截止 grace ends on', view.calendar.graceEndsOn],
    ['锁定日期 locks on', view.calendar.locksOn],
    ['应报 expected', view.expected],
    ['已报 filed', view.filed],
    ['按时 on time', view.filedOnTime],
    ['报送率 filing rate %', view.filingRate],
    ['按时率 on-time rate %', view.onTimeRate],
    ...WORK_QUEUE_ORDER.map((status): [string, Cell] => [`${STATUS_ZH[status]} ${status}`, view.counts[status]]),
  ];
  for (const line of lines) summary.addRow(line);
  const queue = workbook.addWorksheet('催报清单 Work queue');
  queue.addRow(QUEUE_HEADER_ZH).font = { bold: true };
  queue.addRow(QUEUE_HEADER).font = { italic: true };
  for (const row of queueRows(view)) queue.addRow(row.map(safeCell));
  queue.views = [{ state: 'frozen', ySplit: 2 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function trendXlsx(view: TrendView): Promise<Buffer> {
  const workbook = newWorkbook();
  const sheet = workbook.addWorksheet('趋势 Trend');
  sheet.addRow(TREND_HEADER).font = { bold: true };
  for (const row of trendRows(view)) sheet.addRow(row);
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Names and contacts come from enterprises: text a spreadsheet would run as a formula is defused. */
function safeCell(cell: Cell): Cell {
  return typeof cell === 'string' ? neutralizeFormula(cell) : cell;
}

function newWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Huoju aggregation';
  return workbook;
}
