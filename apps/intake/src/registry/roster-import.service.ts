import { Injectable } from '@nestjs/common';
import { MikroORM, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { Outbox, type OutboxMessage } from '@huoju/messaging';
import { ProblemException, currentCorrelationId, type Principal } from '@huoju/platform';
import { managingPark } from './managing-park';
import { EnterpriseBatchRepository, type DetailValues } from './enterprise-batch.repository';
import type { EnterpriseState } from './enterprise.repository';
import { checkRoster, placeError, sortImportErrors, type CheckedRosterRow } from './roster-check';
import type { RosterHeader } from './roster-columns';
import { changeLabels, describeChanges, diffEnterprise, hasChanges, type RosterChanges } from './roster-diff';
import {
  ROSTER_MEDIA_TYPES,
  formatOfMediaType,
  readRosterSheet,
  rosterTemplate,
  type RosterFormat,
} from './roster-file';
import type { ImportError } from './roster-import.errors';

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
/** Outbox rows per INSERT: measured, 20 inserts of 500 take a third of the time of 2 of 5,000 (placeholder expansion). */
const OUTBOX_CHUNK = 500;

interface Plan {
  readonly creates: CheckedRosterRow[];
  readonly updates: { readonly row: CheckedRosterRow; readonly changes: RosterChanges }[];
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

  async import(
    body: unknown,
    contentType: string | undefined,
    dryRun: boolean,
    principal: Principal,
  ): Promise<RosterImportResult> {
    const format = formatOfMediaType(contentType);
    // A body of a roster type is always a Buffer; an empty request has none and is reported as a file without rows.
    if (!format || (body !== undefined && !Buffer.isBuffer(body))) {
      throw new ProblemException(
        415,
        'IMPORT.MEDIA_TYPE',
        'Unsupported media type',
        `Send the file itself as the request body, with Content-Type ${ROSTER_MEDIA_TYPES.csv} (UTF-8) or ${ROSTER_MEDIA_TYPES.xlsx}.`,
        [],
        `请将文件本身作为请求体上传，Content-Type 为 ${ROSTER_MEDIA_TYPES.csv}（UTF-8）或 ${ROSTER_MEDIA_TYPES.xlsx}`,
      );
    }
    const sheet = await readRosterSheet(Buffer.isBuffer(body) ? body : Buffer.alloc(0), format);
    if (sheet.errors.length > 0) throw invalidFile(sheet.errors, 0, dryRun);
    const checked = checkRoster(sheet.rows, principal);
    if (!checked.ok) throw invalidFile(checked.errors, 0, dryRun);
    const { header, rows, errors, warnings } = checked;

    const result = await this.orm.em
      .fork()
      .transactional(async (em) => {
        const candidates = rows.filter((row) => row.value.uscc !== '');
        // A file already known to be wrong locks nothing: it only needs the rest of its problems found.
        if (!dryRun && errors.length === 0) {
          await this.enterprises.lockImports(em);
          await this.enterprises.lock(
            em,
            candidates.map((row) => row.value.uscc),
          );
        }
        const current = await this.enterprises.states(
          em,
          candidates.map((row) => row.value.uscc),
        );
        errors.push(...(await this.namesTaken(em, rows, header)));
        const plan = this.plan(rows, current, header, errors, principal);
        if (errors.length > 0) throw invalidFile(errors, rows.length, dryRun);
        if (!dryRun) await this.apply(em, plan, principal);
        return plan;
      })
      .catch((error: unknown) => {
        // Another change registered the same USCC or name while this import ran: the whole import rolled back.
        if (error instanceof UniqueConstraintViolationException) {
          throw new ProblemException(
            409,
            'IMPORT.CONFLICT',
            'Conflict',
            'The roster changed while the file was imported; nothing was imported. Try again.',
            [],
            '导入期间名录被修改，本次未导入任何数据；请重试',
          );
        }
        throw error;
      });

    return {
      dryRun,
      rows: rows.length,
      created: result.creates.length,
      updated: result.updates.length,
      unchanged: result.unchanged,
      errors: 0,
      updates: result.updates.map(({ row, changes }) => ({
        row: row.source.row,
        uscc: row.value.uscc,
        changes: changeLabels(changes),
      })),
      warnings,
    };
  }

  async template(format: RosterFormat): Promise<{ body: Buffer; contentType: string; filename: string }> {
    return {
      body: await rosterTemplate(format),
      contentType: format === 'csv' ? `${ROSTER_MEDIA_TYPES.csv}; charset=utf-8` : ROSTER_MEDIA_TYPES.xlsx,
      filename: `roster-import-template.${format}`,
    };
  }

  /** Sorts rows into new, changed and unchanged enterprises; problems only the current state reveals go to `errors`. */
  private plan(
    rows: readonly CheckedRosterRow[],
    current: ReadonlyMap<string, EnterpriseState>,
    header: RosterHeader,
    errors: ImportError[],
    principal: Principal,
  ): Plan {
    const creates: CheckedRosterRow[] = [];
    const updates: Plan['updates'][number][] = [];
    let unchanged = 0;
    for (const row of rows) {
      if (!row.valid) continue;
      const state = current.get(row.value.uscc);
      if (!state) {
        creates.push(row);
        continue;
      }
      // A park team may not pull another park's enterprise into its own: that park's team records the move.
      const currentPark = managingPark(state);
      if (
        principal.role === 'park' &&
        currentPark &&
        !principal.scope.includes(currentPark) &&
        principal.scope.includes(row.value.parkCode)
      ) {
        errors.push({
          ...placeError(row.source, header, 'parkCode'),
          code: 'IMPORT.OTHER_PARK_ENTERPRISE',
          messageZh: `该企业目前属于园区 ${currentPark}，只能由该园区或管理员变更`,
          messageEn: `The enterprise currently belongs to park ${currentPark}; only that park's team or an administrator may change it`,
          remedyZh: '请删除此行，或请原园区办理迁出',
          remedyEn: 'Remove the row, or ask the current park to record the move',
        });
        continue;
      }
      const { changes, problems } = diffEnterprise(row.value, row.source.states, state);
      for (const problem of problems) {
        errors.push({
          ...placeError(row.source, header, problem.field),
          code: problem.code,
          messageZh: problem.messageZh,
          messageEn: problem.messageEn,
          remedyZh: problem.remedyZh,
          remedyEn: problem.remedyEn,
        });
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
    await this.enterprises.updateDetails(
      em,
      details,
      updates.filter((u) => u.changes.details.includes('nameZh')).map((u) => u.uscc),
    );
    await this.enterprises.replaceMemberships(
      em,
      updates.flatMap((u) => (u.changes.membership ? [{ uscc: u.uscc, ...u.changes.membership }] : [])),
    );
    await this.enterprises.replaceStreets(
      em,
      updates.flatMap((u) => (u.changes.street ? [{ uscc: u.uscc, ...u.changes.street }] : [])),
    );
    const requalified = updates.filter((u) => u.changes.qualifications);
    await this.enterprises.replaceQualifications(
      em,
      requalified.map((u) => u.uscc),
      requalified.flatMap((u) => u.changes.qualifications!.map((q) => ({ uscc: u.uscc, ...q }))),
    );
    const rescoped = updates.filter((u) => u.changes.scope);
    await this.enterprises.replaceScope(
      em,
      rescoped.map((u) => u.uscc),
      rescoped.flatMap((u) => u.changes.scope!.map((s) => ({ uscc: u.uscc, ...s }))),
    );
    await this.enterprises.insert(
      em,
      plan.creates.map((row) => row.value),
    );

    const descriptions = new Map<string, string>([
      ...plan.creates.map((row): [string, string] => [row.value.uscc, `created (import row ${row.source.row})`]),
      ...plan.updates.map(({ row, changes }): [string, string] => [
        row.value.uscc,
        describeChanges(changes, row.source.row),
      ]),
    ]);
    if (descriptions.size === 0) return;
    const states = await this.enterprises.publish(em, descriptions, principal.subject);
    const changedAt = new Date().toISOString();
    const correlationId = currentCorrelationId();
    const messages: OutboxMessage<'registry.enterprise-changed.v1'>[] = states.map((state) => ({
      topic: 'registry.enterprise-changed.v1',
      key: state.uscc,
      payload: { ...state, changedAt },
      correlationId,
    }));
    for (let start = 0; start < messages.length; start += OUTBOX_CHUNK)
      await this.outbox.addAll(em, messages.slice(start, start + OUTBOX_CHUNK));
  }

  /** A name already carried by another enterprise, unless the file renames that enterprise too. */
  private async namesTaken(
    em: EntityManager,
    rows: readonly CheckedRosterRow[],
    header: RosterHeader,
  ): Promise<ImportError[]> {
    const holders = await this.enterprises.nameHolders(
      em,
      rows.map((row) => row.value.nameZh).filter((name) => name !== ''),
    );
    if (holders.size === 0) return [];
    const newNames = new Map(rows.map((row) => [row.value.uscc, row.value.nameZh]));
    return rows.flatMap((row) => {
      const holder = holders.get(row.value.nameZh);
      if (!holder || holder === row.value.uscc) return [];
      const renamed = newNames.has(holder) && newNames.get(holder) !== row.value.nameZh;
      if (renamed) return [];
      return [
        {
          ...placeError(row.source, header, 'nameZh'),
          code: 'IMPORT.NAME_TAKEN',
          messageZh: `名录中已有同名企业（统一社会信用代码 ${holder}）`,
          messageEn: `Another enterprise of the roster has this name (USCC ${holder})`,
          remedyZh: '核对企业名称与统一社会信用代码是否对应同一家企业',
          remedyEn: 'Check that the name and the USCC belong to the same enterprise',
        },
      ];
    });
  }
}

/** Rows of parks outside the caller's scope make the whole import a refusal (403), not a bad file. */
const OUT_OF_SCOPE_CODES = new Set(['IMPORT.PARK_OUT_OF_SCOPE', 'IMPORT.OTHER_PARK_ENTERPRISE']);

function invalidFile(errors: ImportError[], rows: number, dryRun: boolean): ProblemException {
  const sorted = sortImportErrors(errors);
  const outOfScope = sorted.some((error) => OUT_OF_SCOPE_CODES.has(error.code));
  return new ProblemException(
    outOfScope ? 403 : 422,
    outOfScope ? 'IMPORT.OUT_OF_SCOPE' : 'IMPORT.INVALID',
    outOfScope ? 'Rows outside your scope' : 'The roster file has errors',
    `Nothing was imported. Every problem of the file is listed${sorted.length > MAX_LISTED_ERRORS ? ` (the first ${MAX_LISTED_ERRORS})` : ''}, with the row as the spreadsheet numbers it.`,
    sorted.slice(0, MAX_LISTED_ERRORS),
    `未导入任何数据。文件中的问题已全部列出${sorted.length > MAX_LISTED_ERRORS ? `（前 ${MAX_LISTED_ERRORS} 条）` : ''}，行号与表格一致。`,
    {
      dryRun,
      rows,
      created: 0,
      updated: 0,
      unchanged: 0,
      errorCount: sorted.length,
      rowsWithErrors: new Set(sorted.map((e) => e.row)).size,
    },
  );
}
