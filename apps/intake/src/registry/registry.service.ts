import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { MikroORM, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import {
  addDays,
  isFormId,
  isIsoDate,
  qualificationTag,
  shanghaiDate,
  streetTown,
  subPark,
  park,
  carrier,
  validateIndustryCode,
  industryTag,
} from '@huoju/domain';
import { Outbox } from '@huoju/messaging';
import {
  ProblemException,
  currentCorrelationId,
  forbidden,
  assertQueryInScope,
  isInScope,
  outOfScope,
  scopeFilter,
  validationProblem,
  type FieldError,
  type Principal,
} from '@huoju/platform';
import { NAME_MAX, type enterprisePatchBody } from '@huoju/contracts/http';
import { checkContact, checkEnterpriseInput } from './enterprise-input';
import { EnterpriseBatchRepository } from './enterprise-batch.repository';
import { managingPark } from './managing-park';
import { endOpen, supersede } from './effective-dated';
import type { Enterprise } from './enterprise.entity';
import { EnterpriseRepository, type EnterpriseChanges, type EnterpriseState } from './enterprise.repository';
import { EnterpriseSearchQuery, type RosterFilters } from './enterprise-search.query';

type EnterprisePatch = z.output<typeof enterprisePatchBody>;

export interface RosterQuery extends RosterFilters {
  readonly on?: string;
  readonly page?: number;
  readonly pageSize?: number;
}

/**
 * The roster: who must file, where they belong and since when. Every change closes an old validity and
 * opens a new one, bumps the enterprise's registry version, keeps a history row and publishes the full
 * state on registry.enterprise-changed.v1, all in one transaction.
 */
@Injectable()
export class RegistryService {
  constructor(
    private readonly orm: MikroORM,
    private readonly enterprises: EnterpriseRepository,
    private readonly batch: EnterpriseBatchRepository,
    private readonly outbox: Outbox,
    private readonly search: EnterpriseSearchQuery,
  ) {}

  async create(raw: unknown, principal: Principal): Promise<{ enterprise: EnterpriseState; warnings: FieldError[] }> {
    const { errors, warnings, value } = checkEnterpriseInput(raw);
    if (errors.length > 0) throw validationProblem(errors);
    this.assertMayManagePark(principal, value.parkCode);
    try {
      const enterprise = await this.orm.em.fork().transactional(async (em) => {
        const existing = await this.enterprises.usccOrNameHolder(em, value.uscc, value.nameZh);
        if (existing) throw nameTaken(existing);
        await this.batch.insert(em, [value]);
        return this.publish(em, value.uscc, 'created', principal);
      });
      return { enterprise, warnings };
    } catch (error) {
      // Two registrations of the same enterprise at once: the one that lost the race is told so, not given a 500.
      if (error instanceof UniqueConstraintViolationException) throw nameTaken(value.uscc);
      throw error;
    }
  }

  async update(uscc: string, patch: EnterprisePatch, principal: Principal): Promise<EnterpriseState> {
    const errors: FieldError[] = [];
    const changes: EnterpriseChanges = {};
    const name = patch.nameZh?.trim();
    if (name !== undefined) {
      if (name.length < 2 || name.length > NAME_MAX)
        errors.push(
          fieldError(
            '/nameZh',
            'ENTERPRISE.NAME',
            '企业名称须为2至100个字符',
            'The name must have 2 to 100 characters',
          ),
        );
      changes.nameZh = name;
    }
    if (patch.industryCode !== undefined) {
      const check = validateIndustryCode(patch.industryCode);
      if (!check.valid)
        errors.push(
          fieldError(
            '/industryCode',
            check.issue?.code ?? 'INDUSTRY.INVALID',
            check.issue?.messageZh ?? '行业代码无效',
            check.issue?.messageEn ?? 'Invalid industry code',
          ),
        );
      changes.industryCode = check.normalized ?? patch.industryCode;
    }
    if (patch.contact !== undefined) {
      const checked = checkContact(patch.contact, '/contact');
      errors.push(...checked.errors);
      changes.contact = checked.contact;
    }
    if (patch.industryTags !== undefined) {
      const tags = patch.industryTags;
      tags.forEach((tag, index) => {
        if (!industryTag(tag))
          errors.push(
            fieldError(
              `/industryTags/${index}`,
              'INDUSTRY_TAG.UNKNOWN',
              `未知产业标签 ${tag}`,
              `Unknown industry tag ${tag}`,
            ),
          );
      });
      changes.industryTags = [...new Set(tags)];
    }
    if (Object.keys(changes).length === 0)
      errors.push(
        fieldError(
          '',
          'REQUEST.EMPTY',
          '没有可更新的字段（nameZh、industryCode、contact、industryTags）',
          'Nothing to change (nameZh, industryCode, contact, industryTags)',
        ),
      );
    if (errors.length > 0) throw validationProblem(errors);
    return this.change(uscc, principal, 'updated', async (em, _current, enterprise) => {
      // Like POST: a name belongs to one enterprise (the unique index would otherwise answer 500).
      const holder = name === undefined ? undefined : await this.enterprises.nameHolder(em, name, uscc);
      if (holder) throw nameTaken(holder);
      const { industryTags, ...rest } = changes;
      Object.assign(enterprise, rest, industryTags === undefined ? {} : { industryTags: [...industryTags] });
    });
  }

  /** Moves the enterprise to another park / sub-park / carrier from a date (the old membership ends the day before). */
  async move(uscc: string, body: Record<string, unknown>, principal: Principal): Promise<EnterpriseState> {
    const parkCode = String(body.parkCode ?? '');
    const subParkCode = String(body.subParkCode ?? '');
    const carrierCode = body.carrierCode ? String(body.carrierCode) : null;
    const validFrom = String(body.validFrom ?? '');
    const errors: FieldError[] = [];
    if (!park(parkCode))
      errors.push(fieldError('/parkCode', 'PARK.UNKNOWN', `未知园区代码 ${parkCode}`, `Unknown park code ${parkCode}`));
    if (subPark(subParkCode)?.parkCode !== parkCode)
      errors.push(
        fieldError(
          '/subParkCode',
          'SUB_PARK.UNKNOWN',
          `分园 ${subParkCode} 不属于园区 ${parkCode}`,
          `Sub-park ${subParkCode} is not part of park ${parkCode}`,
        ),
      );
    if (carrierCode && carrier(carrierCode)?.parkCode !== parkCode)
      errors.push(
        fieldError(
          '/carrierCode',
          'CARRIER.UNKNOWN',
          `载体 ${carrierCode} 不属于园区 ${parkCode}`,
          `Carrier ${carrierCode} is not part of park ${parkCode}`,
        ),
      );
    if (!isIsoDate(validFrom))
      errors.push(
        fieldError('/validFrom', 'DATE.INVALID', '生效日期格式为 YYYY-MM-DD', 'validFrom is a date, YYYY-MM-DD'),
      );
    if (errors.length > 0) throw validationProblem(errors);
    // The team of the park being left records the move (a park cannot pull another park's enterprise in).
    return this.change(
      uscc,
      principal,
      `moved to ${parkCode}/${subParkCode} from ${validFrom}`,
      async (em, current) => {
        const leaving = managingPark(current);
        if (principal.role === 'park' && !(leaving && isInScope(principal, 'park', leaving))) throw forbidden();
        const open = await this.enterprises.openMemberships(em, uscc);
        for (const superseded of supersede(open, validFrom)) this.enterprises.remove(em, superseded);
        this.enterprises.addMembership(em, { uscc, parkCode, subParkCode, carrierCode, validFrom });
      },
      { skipScopeCheck: true },
    );
  }

  async changeStreet(uscc: string, body: Record<string, unknown>, principal: Principal): Promise<EnterpriseState> {
    const streetCode = String(body.streetCode ?? '');
    const validFrom = String(body.validFrom ?? '');
    const errors: FieldError[] = [];
    if (!streetTown(streetCode))
      errors.push(
        fieldError(
          '/streetCode',
          'STREET.UNKNOWN',
          `未知街镇代码 ${streetCode}`,
          `Unknown street/town code ${streetCode}`,
        ),
      );
    if (!isIsoDate(validFrom))
      errors.push(
        fieldError('/validFrom', 'DATE.INVALID', '生效日期格式为 YYYY-MM-DD', 'validFrom is a date, YYYY-MM-DD'),
      );
    if (errors.length > 0) throw validationProblem(errors);
    return this.change(uscc, principal, `street ${streetCode} from ${validFrom}`, async (em) => {
      const open = await this.enterprises.openStreets(em, uscc);
      for (const superseded of supersede(open, validFrom)) this.enterprises.remove(em, superseded);
      this.enterprises.addStreet(em, { uscc, streetCode, validFrom });
    });
  }

  async addQualification(uscc: string, body: Record<string, unknown>, principal: Principal): Promise<EnterpriseState> {
    const tag = String(body.tag ?? '');
    const validFrom = String(body.validFrom ?? '');
    const validTo = body.validTo ? String(body.validTo) : null;
    const errors: FieldError[] = [];
    if (!qualificationTag(tag))
      errors.push(fieldError('/tag', 'QUALIFICATION.UNKNOWN', `未知资质标签 ${tag}`, `Unknown qualification ${tag}`));
    if (!isIsoDate(validFrom))
      errors.push(fieldError('/validFrom', 'DATE.INVALID', '日期格式为 YYYY-MM-DD', 'A date is YYYY-MM-DD'));
    if (validTo && (!isIsoDate(validTo) || validTo < validFrom))
      errors.push(
        fieldError('/validTo', 'DATE.INVALID', '截止日期须不早于起始日期', 'validTo is a date not before validFrom'),
      );
    if (errors.length > 0) throw validationProblem(errors);
    return this.change(uscc, principal, `qualification ${tag} ${validFrom}..${validTo ?? ''}`, async (em) => {
      await this.enterprises.closeOpen(em, 'enterprise_qualification', uscc, { tag }, addDays(validFrom, -1));
      await this.enterprises.insertQualification(em, {
        uscc,
        tag,
        certificateNo: body.certificateNo ? String(body.certificateNo) : null,
        validFrom,
        validTo,
      });
    });
  }

  /** Puts the enterprise in scope of a form from a date (closing any open scope of that form). */
  async setScope(uscc: string, body: Record<string, unknown>, principal: Principal): Promise<EnterpriseState> {
    const formId = String(body.formId ?? '');
    const validFrom = String(body.validFrom ?? '');
    const errors: FieldError[] = [];
    if (!isFormId(formId))
      errors.push(fieldError('/formId', 'FORM.UNKNOWN', `未知报表 ${formId}`, `Unknown form ${formId}`));
    if (!isIsoDate(validFrom))
      errors.push(fieldError('/validFrom', 'DATE.INVALID', '日期格式为 YYYY-MM-DD', 'A date is YYYY-MM-DD'));
    if (errors.length > 0) throw validationProblem(errors);
    return this.change(uscc, principal, `in scope of ${formId} from ${validFrom}`, (em) =>
      this.enterprises.replaceOpen(em, 'enterprise_scope', uscc, { form_id: formId }, { form_id: formId }, validFrom),
    );
  }

  /** Ends something open on a date: the park membership (the enterprise leaves the zone), or a form's scope. */
  async close(
    uscc: string,
    what: 'membership' | 'scope',
    body: Record<string, unknown>,
    principal: Principal,
  ): Promise<EnterpriseState> {
    const validTo = String(body.validTo ?? '');
    const formId = String(body.formId ?? '');
    const errors: FieldError[] = [];
    if (!isIsoDate(validTo))
      errors.push(fieldError('/validTo', 'DATE.INVALID', '截止日期格式为 YYYY-MM-DD', 'validTo is a date, YYYY-MM-DD'));
    if (what === 'scope' && !isFormId(formId))
      errors.push(fieldError('/formId', 'FORM.UNKNOWN', `未知报表 ${formId}`, `Unknown form ${formId}`));
    if (errors.length > 0) throw validationProblem(errors);
    return this.change(
      uscc,
      principal,
      what === 'scope' ? `out of scope of ${formId} after ${validTo}` : `left the park after ${validTo}`,
      async (em) => {
        const closed =
          what === 'scope'
            ? await this.enterprises.closeOpen(em, 'enterprise_scope', uscc, { form_id: formId }, validTo)
            : endOpen(await this.enterprises.openMemberships(em, uscc), validTo).length;
        if (closed === 0)
          throw new ProblemException(
            409,
            'REGISTRY.NOTHING_OPEN',
            'Nothing to close',
            `No open ${what} that started on or before ${validTo}.`,
            [],
            '没有可结束的记录',
          );
      },
    );
  }

  async get(uscc: string, principal: Principal): Promise<EnterpriseState> {
    const state = await this.state(this.orm.em.fork(), uscc);
    if (!state) throw notFoundEnterprise(uscc);
    this.assertMayRead(principal, state);
    return state;
  }

  async history(uscc: string, principal: Principal) {
    const em = this.orm.em.fork();
    const state = await this.state(em, uscc);
    if (!state) throw notFoundEnterprise(uscc);
    this.assertMayRead(principal, state);
    return this.enterprises.history(em, uscc);
  }

  async list(query: RosterQuery, principal: Principal) {
    const on = query.on && isIsoDate(query.on) ? query.on : shanghaiDate(new Date());
    assertQueryInScope(principal, {
      park: typeof query.park === 'string' ? query.park : undefined,
      street: typeof query.street === 'string' ? query.street : undefined,
    });
    const pageSize = Math.min(Math.max(Number(query.pageSize) || 50, 1), 500);
    const page = Math.max(Number(query.page) || 1, 1);
    const em = this.orm.em.fork();
    const { total, usccs } = await this.search.page(
      em,
      { ...query, on, scope: scopeFilter(principal) },
      page,
      pageSize,
    );
    // One set of queries for the page, not five per enterprise.
    const states = await this.batch.states(em, usccs);
    const items = usccs.map((uscc) => states.get(uscc)!);
    return { on, page, pageSize, total, items };
  }

  /**
   * Runs a change on a locked enterprise in one unit of work, writes it, then bumps the version, records
   * history and publishes the new state (read back from the tables) in the same transaction.
   */
  private async change(
    uscc: string,
    principal: Principal,
    description: string,
    apply: (em: EntityManager, current: EnterpriseState, enterprise: Enterprise) => Promise<void>,
    options: { skipScopeCheck?: boolean } = {},
  ): Promise<EnterpriseState> {
    return this.orm.em.fork().transactional(async (em) => {
      const enterprise = await this.enterprises.lock(em, uscc);
      if (!enterprise) throw notFoundEnterprise(uscc);
      const current = (await this.state(em, uscc))!;
      if (!options.skipScopeCheck) this.assertMayManage(principal, current);
      await apply(em, current, enterprise);
      // The published state is read with SQL, so the entities' changes are written first.
      await em.flush();
      return this.publish(em, uscc, description, principal);
    });
  }

  private async publish(
    em: EntityManager,
    uscc: string,
    change: string,
    principal: Principal,
  ): Promise<EnterpriseState> {
    const [state] = await this.batch.publish(em, new Map([[uscc, change]]), principal.subject);
    await this.outbox.add(em, {
      topic: 'registry.enterprise-changed.v1',
      key: uscc,
      payload: { ...state, changedAt: new Date().toISOString() },
      correlationId: currentCorrelationId(),
    });
    return state;
  }

  private async state(em: EntityManager, uscc: string): Promise<EnterpriseState | undefined> {
    return (await this.batch.states(em, [uscc])).get(uscc);
  }

  private assertMayManagePark(principal: Principal, parkCode: string): void {
    if (principal.role === 'admin') return;
    if (principal.role === 'park' && isInScope(principal, 'park', parkCode)) return;
    throw forbidden('Only admins and the team of the enterprise’s park may change the roster.');
  }

  private assertMayManage(principal: Principal, state: EnterpriseState): void {
    this.assertMayManagePark(principal, managingPark(state) ?? '');
  }

  /** The roster is read by the links valid today: a park or street team the enterprise left no longer sees it. */
  private assertMayRead(principal: Principal, state: EnterpriseState): void {
    const today = shanghaiDate(new Date());
    const allowed =
      isInScope(principal, 'uscc', state.uscc) ||
      state.memberships.some((m) => validOn(m, today) && isInScope(principal, 'park', m.parkCode)) ||
      state.streets.some((s) => validOn(s, today) && isInScope(principal, 'street', s.streetCode));
    if (!allowed) throw outOfScope('uscc', state.uscc);
  }
}

function fieldError(pointer: string, code: string, messageZh: string, messageEn: string): FieldError {
  return { pointer, code, messageZh, messageEn };
}

function nameTaken(holder: string): ProblemException {
  return new ProblemException(
    409,
    'ENTERPRISE.EXISTS',
    'Already registered',
    `An enterprise with this USCC or name is already in the roster (${holder}).`,
    [],
    '名录中已有相同统一社会信用代码或名称的企业',
  );
}

function notFoundEnterprise(uscc: string): ProblemException {
  return new ProblemException(
    404,
    'ENTERPRISE.NOT_FOUND',
    'Not found',
    `No enterprise ${uscc} in the roster.`,
    [],
    `名录中没有企业 ${uscc}`,
  );
}

function validOn(link: { validFrom: string; validTo?: string | null }, date: string): boolean {
  return link.validFrom <= date && (link.validTo === null || link.validTo === undefined || link.validTo >= date);
}
