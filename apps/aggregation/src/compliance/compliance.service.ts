import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { formIds, industryName, park, streetTown, subParks, type FormId } from '@huoju/domain';
import {
  CLOCK,
  forbidden,
  queryScope,
  scopeFilter,
  validationProblem,
  type Clock,
  type FieldError,
  type Principal,
} from '@huoju/platform';
import { COMPLIANCE_CONFIG, type ComplianceConfig } from './compliance.config';
import { ComplianceError, fieldError } from './compliance.errors';
import { rankAmong, type RankedUnit } from './compliance-rank';
import {
  STATUS_ZH,
  byWorkQueue,
  emptyCounts,
  ratesOf,
  type ComplianceStatus,
  type Rates,
  type StatusCounts,
} from './compliance-status';
import {
  daysLate,
  deadlinesOf,
  latestOpenPeriod,
  parseFormId,
  trailingPeriods,
  type PeriodDeadlines,
} from './deadline-calendar';
import { EvaluationService, type Evaluation } from './evaluation.service';
import { ExpectationsRepository, type CountRow, type ExpectationFilter } from './expectations.repository';
import { QueueRemindersQuery, type LastReminder } from './queue-reminders.query';

export interface ComplianceQuery {
  readonly form?: string;
  readonly period?: string;
  readonly street?: string;
  readonly park?: string;
  readonly periods?: string;
  readonly to?: string;
  readonly status?: ComplianceStatus;
  readonly q?: string;
  readonly page?: number;
  readonly pageSize?: number;
}

/** One page of the work queue, or all of it (a download). */
export type QueueSlice = { readonly page: number; readonly pageSize: number } | 'all';

const DEFAULT_PAGE_SIZE = 50;

export interface ScopeView {
  readonly kind: 'zone' | 'street' | 'park';
  readonly codes: readonly string[];
  readonly namesZh: readonly (string | null)[];
}

/** Due date, grace end and lock date, always as separate fields (days in Shanghai; instants in UTC). */
export interface CalendarView {
  readonly opensOn: string;
  readonly remindOn: string;
  readonly dueOn: string;
  readonly graceEndsOn: string;
  readonly locksOn: string;
  readonly dueAt: string;
  readonly graceEndsAt: string;
  readonly locksAt: string;
}

export interface WorkQueueItem {
  readonly status: ComplianceStatus;
  readonly statusZh: string;
  readonly uscc: string;
  readonly nameZh: string;
  readonly industryCode: string;
  readonly industryNameZh: string | null;
  readonly contact: { name: string; phone: string; email: string };
  readonly parkCode: string;
  readonly parkNameZh: string | null;
  readonly subParkCode: string;
  readonly carrierCode: string | null;
  readonly streetCode: string;
  readonly streetNameZh: string | null;
  readonly latestOutcome: string | null;
  readonly firstReceivedAt: string | null;
  readonly acceptedReceivedAt: string | null;
  /** Days after the due date: of the first receipt when filed late, of today while still unfiled; null when not late. */
  readonly daysLate: number | null;
  readonly dueOn: string;
  readonly graceEndsOn: string;
  readonly locksOn: string;
  /** The newest reminder of the period sent for it and its webhook deliveries; null when none was sent yet. */
  readonly lastReminder: LastReminder | null;
}

/** A street's place among the streets of a park or of the zone, or a park's among the parks. */
export interface RankView {
  readonly among: 'park-streets' | 'zone-streets' | 'zone-parks';
  /** The park whose streets are ranked ('park-streets'); null otherwise. */
  readonly parkCode: string | null;
  readonly position: number;
  readonly of: number;
}

export interface ComplianceView extends Rates {
  readonly formId: FormId;
  readonly period: string;
  readonly asOf: string;
  readonly scope: ScopeView;
  readonly calendar: CalendarView;
  readonly counts: StatusCounts;
  readonly page: number;
  readonly pageSize: number;
  /** How many work-queue rows match the status and text filters, across all pages. */
  readonly queueTotal: number;
  /** The page's expected enterprises not filed on time, in work-queue order (overdue first). */
  readonly queue: readonly WorkQueueItem[];
}

export interface TrendPoint extends Rates {
  readonly period: string;
  readonly dueOn: string;
  readonly graceEndsOn: string;
  readonly locksOn: string;
  readonly counts: StatusCounts;
}

export interface TrendView {
  readonly formId: FormId;
  readonly asOf: string;
  readonly scope: ScopeView;
  readonly points: readonly TrendPoint[];
  /** For the trend's last period, when it is of one street or one park: its rank (best filing rate = 1). */
  readonly ranks: readonly RankView[];
}

/** The compliance views (催报工作台): who filed, who is late, who is missing, for a street, a park or the zone. */
@Injectable()
export class ComplianceService {
  constructor(
    private readonly orm: MikroORM,
    private readonly expectations: ExpectationsRepository,
    private readonly reminders: QueueRemindersQuery,
    private readonly evaluations: EvaluationService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMPLIANCE_CONFIG) private readonly config: ComplianceConfig,
  ) {}

  /**
   * The period's counts and one page of its work queue (or the whole queue for a download). The counts need
   * every expected row anyway; only the page's rows are decorated and get their last reminder looked up.
   */
  async workQueue(principal: Principal, query: ComplianceQuery, slice: QueueSlice): Promise<ComplianceView> {
    const { deadlines, scope, filter } = this.check(principal, query, { period: true });
    const now = this.clock.now();
    const rows = await this.expectations.rows(this.orm.em.fork(), [deadlines!], filter, now);
    const counts = emptyCounts();
    for (const row of rows) counts[row.status]++;
    const text = query.q?.trim().toLowerCase() ?? '';
    const matching = rows
      .filter(
        (row) =>
          row.status !== 'filed-on-time' &&
          (query.status === undefined || row.status === query.status) &&
          (text === '' || row.nameZh.toLowerCase().includes(text) || row.uscc.toLowerCase().startsWith(text)),
      )
      .sort(byWorkQueue);
    const page = slice === 'all' ? 1 : slice.page;
    const pageSize = slice === 'all' ? Math.max(matching.length, 1) : slice.pageSize;
    const shown = matching.slice((page - 1) * pageSize, page * pageSize);
    const lastReminders = await this.reminders.lastReminders(
      this.orm.em.fork(),
      deadlines!.formId,
      deadlines!.period,
      shown.map((row) => row.uscc),
    );
    const { schedule } = deadlines!;
    const queue = shown.map(
      (row): WorkQueueItem => ({
        status: row.status,
        statusZh: STATUS_ZH[row.status],
        uscc: row.uscc,
        nameZh: row.nameZh,
        industryCode: row.industryCode,
        industryNameZh: industryName(row.industryCode) ?? null,
        contact: row.contact,
        parkCode: row.parkCode,
        parkNameZh: park(row.parkCode)?.nameZh ?? null,
        subParkCode: row.subParkCode,
        carrierCode: row.carrierCode,
        streetCode: row.streetCode,
        streetNameZh: streetTown(row.streetCode)?.nameZh ?? null,
        latestOutcome: row.latestOutcome,
        firstReceivedAt: row.firstReceivedAt?.toISOString() ?? null,
        acceptedReceivedAt: row.acceptedReceivedAt?.toISOString() ?? null,
        daysLate: lateness(deadlines!, row.firstReceivedAt, now),
        dueOn: schedule.dueOn,
        graceEndsOn: schedule.graceEndsOn,
        locksOn: schedule.locksOn,
        lastReminder: lastReminders.get(row.uscc) ?? null,
      }),
    );
    return {
      formId: deadlines!.formId,
      period: deadlines!.period,
      asOf: now.toISOString(),
      scope,
      calendar: calendarOf(deadlines!),
      ...ratesOf(counts),
      counts,
      page,
      pageSize,
      queueTotal: matching.length,
      queue,
    };
  }

  /** The page a JSON request asks for (validated bounds come from the contract). */
  static sliceOf(query: ComplianceQuery): QueueSlice {
    return { page: query.page ?? 1, pageSize: query.pageSize ?? DEFAULT_PAGE_SIZE };
  }

  async trend(principal: Principal, query: ComplianceQuery): Promise<TrendView> {
    const { formId, scope, filter } = this.check(principal, query, { period: false });
    const now = this.clock.now();
    const count = query.periods === undefined ? 12 : Number(query.periods);
    const errors: FieldError[] = [];
    if (!Number.isInteger(count) || count < 1 || count > 36)
      errors.push(fieldError('/periods', ComplianceError.PERIODS, 'periods 须为 1–36', 'periods must be 1–36'));
    const last = query.to ?? latestOpenPeriod(formId, now);
    if (!deadlinesOf(formId, last, this.config.COMPLIANCE_REMIND_HOUR))
      errors.push(
        fieldError(
          '/to',
          ComplianceError.PERIOD,
          `报表 ${formId} 没有报告期 ${last}`,
          `Form ${formId} has no period ${last}`,
        ),
      );
    if (errors.length > 0) throw validationProblem(errors);
    // Periods before the form's first version are left out rather than refused.
    const periods = trailingPeriods(formId, last, count)
      .map((period) => deadlinesOf(formId, period, this.config.COMPLIANCE_REMIND_HOUR))
      .filter((d): d is PeriodDeadlines => d !== undefined);
    const grouped = new Map(
      (await this.expectations.counts(this.orm.em.fork(), periods, filter, now, 'period')).map((row) => [
        row.key,
        row.counts,
      ]),
    );
    const lastPeriod = periods[periods.length - 1];
    return {
      formId,
      asOf: now.toISOString(),
      scope,
      ranks: lastPeriod ? await this.ranks(scope, lastPeriod, now) : [],
      points: periods.map((d) => {
        const counts = grouped.get(d.period) ?? emptyCounts();
        return {
          period: d.period,
          dueOn: d.schedule.dueOn,
          graceEndsOn: d.schedule.graceEndsOn,
          locksOn: d.schedule.locksOn,
          ...ratesOf(counts),
          counts,
        };
      }),
    };
  }

  /**
   * One street's place among the streets of each park it belongs to and of the zone, or one park's among the
   * parks. Only places are shown, never the other units' figures, so a street team learns nothing it may not see.
   */
  private async ranks(scope: ScopeView, deadlines: PeriodDeadlines, now: Date): Promise<RankView[]> {
    if (scope.codes.length !== 1 || scope.kind === 'zone') return [];
    const code = scope.codes[0]!;
    const em = this.orm.em.fork();
    const units = (rows: readonly CountRow[]): RankedUnit[] =>
      rows.map((row) => ({ code: row.key, ...ratesOf(row.counts) }));
    const ranks: RankView[] = [];
    if (scope.kind === 'park') {
      const rank = rankAmong(units(await this.expectations.counts(em, [deadlines], {}, now, 'park')), code);
      if (rank) ranks.push({ among: 'zone-parks', parkCode: null, ...rank });
      return ranks;
    }
    const streets = units(await this.expectations.counts(em, [deadlines], {}, now, 'street'));
    const parksOfStreet = [
      ...new Set(
        subParks()
          .filter((sub) => sub.streetCodes.includes(code))
          .map((sub) => sub.parkCode),
      ),
    ].sort();
    for (const parkCode of parksOfStreet) {
      const ofPark = new Set(subParks(parkCode).flatMap((sub) => sub.streetCodes));
      const rank = rankAmong(
        streets.filter((unit) => ofPark.has(unit.code)),
        code,
      );
      if (rank) ranks.push({ among: 'park-streets', parkCode, ...rank });
    }
    const zone = rankAmong(streets, code);
    if (zone) ranks.push({ among: 'zone-streets', parkCode: null, ...zone });
    return ranks;
  }

  /** Filing rates per park and carrier, with notices for the commission; refused to everyone else. */
  async evaluation(principal: Principal, query: ComplianceQuery): Promise<Evaluation> {
    if (scopeFilter(principal).kind !== 'all') throw forbidden('Park evaluation is for the commission.');
    const { deadlines } = this.check(principal, { form: query.form, period: query.period }, { period: true });
    return this.evaluations.read(deadlines!);
  }

  /** Validates form, period and scope, and applies who may see what: a street team its streets, a park team its parks. */
  private check(
    principal: Principal,
    query: ComplianceQuery,
    needs: { period: boolean },
  ): { formId: FormId; deadlines?: PeriodDeadlines; scope: ScopeView; filter: ExpectationFilter } {
    const errors: FieldError[] = [];
    const formId = parseFormId(query.form);
    if (!formId)
      errors.push(
        fieldError(
          '/form',
          ComplianceError.FORM,
          `未知报表 ${query.form}`,
          `Unknown form ${query.form} (${formIds().join(', ')})`,
        ),
      );
    const deadlines =
      formId && needs.period ? deadlinesOf(formId, query.period ?? '', this.config.COMPLIANCE_REMIND_HOUR) : undefined;
    if (formId && needs.period && !deadlines)
      errors.push(
        fieldError(
          '/period',
          ComplianceError.PERIOD,
          `报表 ${formId} 没有报告期 ${query.period ?? ''}`,
          `Form ${formId} has no period ${query.period ?? '(missing)'}`,
        ),
      );
    if (query.street !== undefined && query.park !== undefined)
      errors.push(
        fieldError('/street', ComplianceError.SCOPE, 'street 与 park 只能择一', 'Give street or park, not both'),
      );
    if (query.street !== undefined && !streetTown(query.street))
      errors.push(
        fieldError('/street', ComplianceError.SCOPE, `未知街镇 ${query.street}`, `Unknown street/town ${query.street}`),
      );
    if (query.park !== undefined && !park(query.park))
      errors.push(fieldError('/park', ComplianceError.SCOPE, `未知园区 ${query.park}`, `Unknown park ${query.park}`));
    if (errors.length > 0) throw validationProblem(errors);
    const { scope, filter } = visibleScope(principal, query.street, query.park);
    return { formId: formId!, deadlines, scope, filter };
  }
}

/** Who may see what, by the one scope policy: a street team its streets, a park team its parks, the commission all. */
function visibleScope(
  principal: Principal,
  street: string | undefined,
  parkCode: string | undefined,
): { scope: ScopeView; filter: ExpectationFilter } {
  const visible = queryScope(principal, { street, park: parkCode });
  switch (visible.kind) {
    case 'street':
      return {
        scope: {
          kind: 'street',
          codes: visible.codes,
          namesZh: visible.codes.map((c) => streetTown(c)?.nameZh ?? null),
        },
        filter: { streets: visible.codes },
      };
    case 'park':
      return {
        scope: { kind: 'park', codes: visible.codes, namesZh: visible.codes.map((c) => park(c)?.nameZh ?? null) },
        filter: { parks: visible.codes },
      };
    case 'all':
      return { scope: { kind: 'zone', codes: [], namesZh: [] }, filter: {} };
    case 'uscc':
      throw forbidden('Compliance views are for street and park teams and the commission.');
  }
}

/** Days past the due date: of the first receipt if it came late, of today while nothing came and the due date passed. */
function lateness(deadlines: PeriodDeadlines, firstReceivedAt: Date | null, now: Date): number | null {
  const { dueAt, dueOn } = deadlines.schedule;
  const reference = firstReceivedAt ?? now;
  return reference > dueAt ? daysLate(dueOn, reference) : null;
}

function calendarOf(deadlines: PeriodDeadlines): CalendarView {
  const { schedule } = deadlines;
  return {
    opensOn: schedule.opensOn,
    remindOn: schedule.remindOn,
    dueOn: schedule.dueOn,
    graceEndsOn: schedule.graceEndsOn,
    locksOn: schedule.locksOn,
    dueAt: schedule.dueAt.toISOString(),
    graceEndsAt: schedule.graceEndsAt.toISOString(),
    locksAt: schedule.locksAt.toISOString(),
  };
}
