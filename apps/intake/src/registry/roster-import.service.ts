import { Injectable } from '@nestjs/common';
import { MikroORM, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { park } from '@huoju/domain';
import { Outbox, type OutboxMessage } from '@huoju/messaging';
import { ProblemException, currentCorrelationId, type FieldError, type Principal } from '@huoju/platform';
import { checkEnterpriseInput, type EnterpriseInput } from './enterprise-input';
import { EnterpriseBatchRepository, type DetailValues } from './enterprise-batch.repository';
import type { EnterpriseState } from './enterprise.repository';
import { ROSTER_COLUMNS, columnOfPointer, isBlankRow, readHeader, readRow, rosterColumn, rosterHeader, type RosterField, type RosterHeader, type RosterRow } from './roster-columns';
import { changeLabels, describeChanges, diffEnterprise, hasChanges, type RosterChanges } from './roster-diff';
import { ROSTER_MEDIA_TYPES, formatOfMediaType, readRosterSheet, rosterTemplate, type RosterFormat } from './roster-file';
import { remedyFor, type ImportError } from './roster-import.errors';

export interface RosterImportResult {
  readonly dryRun: boolean;
  /** Data rows read (blank rows are skipped). */
  readonly rows: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly errors: 0;
  /** Every updated enterprise with what changed (created ones are only counted). */
  readonly updates: readonly { readonly row: number; readonly uscc: string; readonly changes: readonly string[] }[];
  readonly warnings: readonly ImportError[];
}

/** Errors listed in one response; the count is always complete. */
const MAX_LISTED_ERRORS = 10_000;
/** Outbox rows per INSERT (three parameters each, PostgreSQL takes 65,535). */
const OUTBOX_CHUNK = 5_000;
// Serialises roster imports: each locks what it changes, but two files creating the same USCC would collide.
const IMPORT_LOCK_KEY = 'intake.roster-import';

interface CheckedRow {
  readonly source: RosterRow;
  readonly value: EnterpriseInput;
}

interface Plan {
  readonly creates: CheckedRow[];
  readonly updates: { readonly row: CheckedRow; readonly changes: RosterChanges }[];
  readonly unchanged: number;
}

/**
 * The roster import: a CSV or XLSX file of enterprises is checked in full first, every problem reported at
 * once, and then applied all or nothing in one transaction. New USCCs are registered, existing enterprises
 * get the differences as effective-dated changes, identical rows change nothing. Each change bumps the
 * registry version, keeps a history row and puts registry.enterprise-changed.v1 in the outbox, as single
 * changes through RegistryService do.
 */
@Injectable()
export class RosterImportService {
  constructor(
    private readonly orm: MikroORM,
    private readonly enterprises: EnterpriseBatchRepository,
    private readonly outbox: Outbox,
  ) {}

  async import(body: unknown, contentType: string | undefined, dryRun: boolean, principal: Principal): Promise<RosterImportResult> {
    const format = formatOfMediaType(contentType);
    if (!format || !Buffer.isBuffer(body)) {
      throw new ProblemException(
        415,
        'IMPORT.MEDIA_TYPE',
        'Unsupported media type',
        `Send the file itself as the request body, with Content-Type ${ROSTER_MEDIA_TYPES.csv} (UTF-8) or ${ROSTER_MEDIA_TYPES.xlsx}.`,
        [],
        `请将文件本身作为请求体上传，Content-Type 为 ${ROSTER_MEDIA_TYPES.csv}（UTF-8）或 ${ROSTER_MEDIA_TYPES.xlsx}`,
      );
    }
    const T0 = performance.now(); const M = (l: string) => console.log(l, Math.round(performance.now() - T0), Math.round(process.memoryUsage().heapUsed / 2 ** 20), Math.round(process.memoryUsage.rss() / 2 ** 20));
    const sheet = await readRosterSheet(body, format); M('read');
    if (sheet.errors.length > 0) throw invalidFile(sheet.errors, 0, dryRun);

    const headerIndex = sheet.rows.findIndex((row) => !isBlankRow(row));
    const dataRows = headerIndex < 0 ? [] : sheet.rows.slice(headerIndex + 1).filter((row) => !isBlankRow(row));
    if (headerIndex < 0 || dataRows.length === 0) {
      throw invalidFile([{ row: 1, column: '', pointer: '', code: 'IMPORT.NO_ROWS', messageZh: '文件中没有表头或没有数据行', messageEn: 'The file has no header or no data rows', remedyZh: '按模板填写表头和至少一行企业数据', remedyEn: 'Fill in the header and at least one enterprise row as in the template' }], 0, dryRun);
    }
    const { header, errors: headerErrors } = readHeader(sheet.rows[headerIndex]!);
    if (headerErrors.length > 0) throw invalidFile(headerErrors, dataRows.length, dryRun);

    const errors: ImportError[] = [];
    const warnings: ImportError[] = [];
    const rows = dataRows.map((sheetRow) => {
      const source = readRow(sheetRow, header);
      const checked = checkEnterpriseInput(source.raw, `/rows/${source.row}`);
      const report = (issue: FieldError) => this.toImportError(source, header, issue);
      // A scope the row does not state is the default from validFrom: its problems are validFrom's.
      const stated = (issue: FieldError) => source.states.scope || columnOfPointer(issue.pointer.slice(`/rows/${source.row}`.length)).field !== 'scope';
      errors.push(...checked.errors.filter(stated).map(report));
      warnings.push(...checked.warnings.filter(stated).map(report));
      return { source, value: checked.value, valid: checked.errors.length === 0 };
    });
    errors.push(...duplicatesInFile(rows, header), ...outOfScope(rows, header, principal)); M('checked');

    const result = await this.orm.em
      .fork()
      .transactional(async (em) => {
        const candidates = rows.filter((row) => row.value.uscc !== '');
        // A file already known to be wrong locks nothing: it only needs the rest of its problems found.
        if (!dryRun && errors.length === 0) {
          await em.execute('SELECT pg_advisory_xact_lock(hashtext(?))', [IMPORT_LOCK_KEY]);
          await this.enterprises.lock(em, candidates.map((row) => row.value.uscc));
        }
        const current = await this.enterprises.states(em, candidates.map((row) => row.value.uscc)); M('states');
        errors.push(...(await this.namesTaken(em, rows, header)));
        const plan = this.plan(rows, current, header, errors);
        if (errors.length > 0) throw invalidFile(errors, rows.length, dryRun);
        M('planned'); if (!dryRun) await this.apply(em, plan, principal); M('applied');
        return plan;
      })
      .catch((error: unknown) => {
        // Another change registered the same USCC or name while this import ran: the whole import rolled back.
        if (error instanceof UniqueConstraintViolationException) {
          throw new ProblemException(409, 'IMPORT.CONFLICT', 'Conflict', 'The roster changed while the file was imported; nothing was imported. Try again.', [], '导入期间名录被修改，本次未导入任何数据；请重试');
        }
        throw error;
      });

    M('committed');
    return {
      dryRun,
      rows: rows.length,
      created: result.creates.length,
      updated: result.updates.length,
      unchanged: result.unchanged,
      errors: 0,
      updates: result.updates.map(({ row, changes }) => ({ row: row.source.row, uscc: row.value.uscc, changes: changeLabels(changes) })),
      warnings,
    };
  }

  async template(format: RosterFormat): Promise<{ body: Buffer; contentType: string; filename: string }> {
    return { body: await rosterTemplate(format), contentType: format === 'csv' ? `${ROSTER_MEDIA_TYPES.csv}; charset=utf-8` : ROSTER_MEDIA_TYPES.xlsx, filename: `roster-import-template.${format}` };
  }

  /** Sorts rows into new, changed and unchanged enterprises; problems only the current state reveals go to `errors`. */
  private plan(rows: readonly (CheckedRow & { valid: boolean })[], current: ReadonlyMap<string, EnterpriseState>, header: RosterHeader, errors: ImportError[]): Plan {
    const creates: CheckedRow[] = [];
    const updates: Plan['updates'][number][] = [];
    let unchanged = 0;
    for (const row of rows) {
      if (!row.valid) continue;
      const state = current.get(row.value.uscc);
      if (!state) {
        creates.push(row);
        continue;
      }
      const { changes, problems } = diffEnterprise(row.value, row.source.states, state);
      for (const problem of problems) {
        errors.push({ ...this.place(row.source, header, problem.field), code: problem.code, messageZh: problem.messageZh, messageEn: problem.messageEn, remedyZh: problem.remedyZh, remedyEn: problem.remedyEn });
      }
      if (hasChanges(changes)) updates.push({ row, changes });
      else unchanged++;
    }
    return { creates, updates, unchanged };
  }

  private async apply(em: EntityManager, plan: Plan, principal: Principal): Promise<void> {
    const updates = plan.updates.map(({ row, changes }) => ({ uscc: row.value.uscc, value: row.value, changes }));
    const details: DetailValues[] = updates
      .filter((u) => u.changes.details.length > 0)
      .map(({ uscc, value, changes }) => ({
        uscc,
        nameZh: value.nameZh,
        industryCode: value.industryCode,
        registeredDistrict: value.registeredDistrict,
        contact: value.contact,
        ...(changes.details.includes('industryTags') ? { industryTags: value.industryTags ?? [] } : {}),
      }));
    // Names are unique: updates free names before new enterprises take them.
    await this.enterprises.updateDetails(em, details, updates.filter((u) => u.changes.details.includes('nameZh')).map((u) => u.uscc));
    await this.enterprises.replaceMemberships(em, updates.flatMap((u) => (u.changes.membership ? [{ uscc: u.uscc, ...u.changes.membership }] : [])));
    await this.enterprises.replaceStreets(em, updates.flatMap((u) => (u.changes.street ? [{ uscc: u.uscc, ...u.changes.street }] : [])));
    const requalified = updates.filter((u) => u.changes.qualifications);
    await this.enterprises.replaceQualifications(em, requalified.map((u) => u.uscc), requalified.flatMap((u) => u.changes.qualifications!.map((q) => ({ uscc: u.uscc, ...q }))));
    const rescoped = updates.filter((u) => u.changes.scope);
    await this.enterprises.replaceScope(em, rescoped.map((u) => u.uscc), rescoped.flatMap((u) => u.changes.scope!.map((s) => ({ uscc: u.uscc, ...s }))));
    await this.enterprises.insert(em, plan.creates.map((row) => row.value));

    const descriptions = new Map<string, string>([
      ...plan.creates.map((row): [string, string] => [row.value.uscc, `created (import row ${row.source.row})`]),
      ...plan.updates.map(({ row, changes }): [string, string] => [row.value.uscc, describeChanges(changes, row.source.row)]),
    ]);
    if (descriptions.size === 0) return;
    const states = await this.enterprises.publish(em, descriptions, principal.subject); console.log('published', process.memoryUsage().heapUsed/2**20);
    const changedAt = new Date().toISOString();
    const correlationId = currentCorrelationId();
    const messages: OutboxMessage<'registry.enterprise-changed.v1'>[] = states.map((state) => ({
      topic: 'registry.enterprise-changed.v1',
      key: state.uscc,
      payload: { ...state, changedAt },
      correlationId,
    }));
    for (let start = 0; start < messages.length; start += OUTBOX_CHUNK) await this.outbox.addAll(em, messages.slice(start, start + OUTBOX_CHUNK));
  }

  /** A name already carried by another enterprise, unless the file renames that enterprise too. */
  private async namesTaken(em: EntityManager, rows: readonly CheckedRow[], header: RosterHeader): Promise<ImportError[]> {
    const holders = await this.enterprises.nameHolders(em, rows.map((row) => row.value.nameZh).filter((name) => name !== ''));
    if (holders.size === 0) return [];
    const newNames = new Map(rows.map((row) => [row.value.uscc, row.value.nameZh]));
    return rows.flatMap((row) => {
      const holder = holders.get(row.value.nameZh);
      if (!holder || holder === row.value.uscc) return [];
      const renamed = newNames.has(holder) && newNames.get(holder) !== row.value.nameZh;
      if (renamed) return [];
      return [
        {
          ...this.place(row.source, header, 'nameZh'),
          code: 'IMPORT.NAME_TAKEN',
          messageZh: `名录中已有同名企业（统一社会信用代码 ${holder}）`,
          messageEn: `Another enterprise of the roster has this name (USCC ${holder})`,
          remedyZh: '核对企业名称与统一社会信用代码是否对应同一家企业',
          remedyEn: 'Check that the name and the USCC belong to the same enterprise',
        },
      ];
    });
  }

  private toImportError(source: RosterRow, header: RosterHeader, issue: FieldError): ImportError {
    const { field, item } = columnOfPointer(issue.pointer.slice(`/rows/${source.row}`.length));
    const remedy = remedyFor(issue.code, { parkCode: source.cells.get('parkCode'), subParkCode: source.cells.get('subParkCode') });
    return { ...this.place(source, header, field), pointer: issue.pointer, code: issue.code, messageZh: issue.messageZh, messageEn: issue.messageEn, ...(item ? { item } : {}), ...remedy };
  }

  private place(source: RosterRow, header: RosterHeader, field: RosterField): Pick<ImportError, 'row' | 'column' | 'pointer' | 'value'> {
    const value = source.cells.get(field);
    return { row: source.row, column: columnName(header, field), pointer: `/rows/${source.row}${pointerOf(field)}`, ...(value ? { value } : {}) };
  }
}

function duplicatesInFile(rows: readonly CheckedRow[], header: RosterHeader): ImportError[] {
  const errors: ImportError[] = [];
  for (const [field, key] of [
    ['uscc', (row: CheckedRow) => row.value.uscc],
    ['nameZh', (row: CheckedRow) => row.value.nameZh],
  ] as const) {
    const first = new Map<string, number>();
    for (const row of rows) {
      const value = key(row);
      if (value === '') continue;
      const seen = first.get(value);
      if (seen === undefined) {
        first.set(value, row.source.row);
        continue;
      }
      const what = field === 'uscc' ? { zh: '统一社会信用代码', en: 'USCC' } : { zh: '企业名称', en: 'name' };
      errors.push({
        row: row.source.row,
        column: columnName(header, field),
        pointer: `/rows/${row.source.row}${pointerOf(field)}`,
        value,
        code: field === 'uscc' ? 'IMPORT.DUPLICATE_USCC' : 'IMPORT.DUPLICATE_NAME',
        messageZh: `${what.zh}与第${seen}行重复`,
        messageEn: `The ${what.en} repeats row ${seen}`,
        remedyZh: '每家企业只保留一行：删除重复行，或更正其中一行',
        remedyEn: 'Keep one row per enterprise: delete the repeated row or correct one of them',
      });
    }
  }
  return errors;
}

/** A park team imports the enterprises of its own parks only. */
function outOfScope(rows: readonly CheckedRow[], header: RosterHeader, principal: Principal): ImportError[] {
  if (principal.role !== 'park') return [];
  return rows
    .filter((row) => park(row.value.parkCode) && !principal.scope.includes(row.value.parkCode))
    .map((row) => ({
      row: row.source.row,
      column: columnName(header, 'parkCode'),
      pointer: `/rows/${row.source.row}/parkCode`,
      value: row.value.parkCode,
      code: 'IMPORT.PARK_OUT_OF_SCOPE',
      messageZh: `园区 ${row.value.parkCode} 不在您的管辖范围（${principal.scope.join('、')}）内`,
      messageEn: `Park ${row.value.parkCode} is outside your scope (${principal.scope.join(', ')})`,
      remedyZh: '只导入本园区的企业；其他园区的企业由该园区或管理员导入',
      remedyEn: 'Import only your own park’s enterprises; other parks’ teams or an administrator import theirs',
    }));
}

function invalidFile(errors: ImportError[], rows: number, dryRun: boolean): ProblemException {
  const order = new Map(ROSTER_COLUMNS.map((column, index) => [column.field, index]));
  const columnRank = (error: ImportError) => order.get(columnOfPointer(error.pointer.replace(/^\/rows\/\d+/, '')).field) ?? 0;
  const sorted = [...errors].sort((a, b) => a.row - b.row || columnRank(a) - columnRank(b));
  return new ProblemException(
    422,
    'IMPORT.INVALID',
    'The roster file has errors',
    `Nothing was imported. Every problem of the file is listed${sorted.length > MAX_LISTED_ERRORS ? ` (the first ${MAX_LISTED_ERRORS})` : ''}, with the row as the spreadsheet numbers it.`,
    sorted.slice(0, MAX_LISTED_ERRORS),
    `未导入任何数据。文件中的问题已全部列出${sorted.length > MAX_LISTED_ERRORS ? `（前 ${MAX_LISTED_ERRORS} 条）` : ''}，行号与表格一致。`,
    { dryRun, rows, created: 0, updated: 0, unchanged: 0, errorCount: sorted.length, rowsWithErrors: new Set(sorted.map((e) => e.row)).size },
  );
}

function columnName(header: RosterHeader, field: RosterField): string {
  return header.names.get(field) ?? rosterHeader(rosterColumn(field));
}

function pointerOf(field: RosterField): string {
  return field.startsWith('contact') ? `/contact/${field.charAt(7).toLowerCase()}${field.slice(8)}` : `/${field}`;
}
