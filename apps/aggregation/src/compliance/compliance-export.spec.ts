import ExcelJS from 'exceljs';
import { workQueueCsv, workQueueXlsx } from './compliance-export';
import type { ComplianceView, WorkQueueItem } from './compliance.service';

const hostile = ['=HYPERLINK("http://evil","x")', '+cmd', '@SUM(A1)', "-2+3+cmd|' /C calc'!A0", '＠A1'];

const item = (nameZh: string, index: number): WorkQueueItem => ({
  status: 'overdue',
  statusZh: '逾期未报',
  uscc: `91310115MA1K0001${index}X`,
  nameZh,
  industryCode: 'I6513',
  industryNameZh: '应用软件开发',
  contact: { name: nameZh, phone: '021-50801234', email: 'a@example.com' },
  parkCode: 'CORE',
  parkNameZh: '核心园',
  subParkCode: 'CORE-ZJ',
  carrierCode: null,
  streetCode: '310115125',
  streetNameZh: '张江镇',
  latestOutcome: null,
  firstReceivedAt: null,
  acceptedReceivedAt: null,
  daysLate: 3,
  dueOn: '2026-10-15',
  graceEndsOn: '2026-10-18',
  locksOn: '2027-04-30',
  lastReminder: null,
});

const view: ComplianceView = {
  formId: 'torch-monthly',
  period: '2026-09',
  asOf: '2026-10-20T02:00:00.000Z',
  scope: { kind: 'park', codes: ['CORE'], namesZh: ['核心园'] },
  calendar: {
    opensOn: '2026-10-01',
    remindOn: '2026-10-12',
    dueOn: '2026-10-15',
    graceEndsOn: '2026-10-18',
    locksOn: '2027-04-30',
    dueAt: '2026-10-15T16:00:00.000Z',
    graceEndsAt: '2026-10-18T16:00:00.000Z',
    locksAt: '2027-04-30T16:00:00.000Z',
  },
  counts: {
    overdue: hostile.length,
    'not-filed': 0,
    'needs-explanation': 0,
    rejected: 0,
    'filed-late': 0,
    'filed-on-time': 0,
  },
  expected: hostile.length,
  filed: 0,
  filedOnTime: 0,
  filingRate: '0.00',
  onTimeRate: '0.00',
  page: 1,
  pageSize: hostile.length,
  queueTotal: hostile.length,
  queue: hostile.map(item),
};

describe('compliance downloads', () => {
  it('defuse names and contacts a spreadsheet would run as formulas, in CSV and XLSX', async () => {
    const csv = workQueueCsv(view);
    for (const name of hostile) expect(csv).toContain(`'${name.replace(/"/g, '""')}`);
    expect(csv.split('\r\n')[1]).toContain(',3,');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await workQueueXlsx(view)) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('催报清单 Work queue')!;
    const header = (sheet.getRow(2).values as unknown[]).slice(1);
    const column = (name: string) => header.indexOf(name) + 1;
    for (const [index, name] of hostile.entries()) {
      const row = sheet.getRow(index + 3);
      expect([row.getCell(column('nameZh')).value, row.getCell(column('contactName')).value]).toEqual([
        `'${name}`,
        `'${name}`,
      ]);
      expect(row.getCell(column('daysLate')).value).toBe(3);
    }
  });
});
