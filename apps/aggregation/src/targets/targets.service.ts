import { Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import {
  formatDecimal,
  parseDecimal,
  parsePeriod,
  percent,
  periodBounds,
  targets,
  targetsVersion,
  type EnterpriseFilter,
  type Target,
  periodTypeOf,
} from '@huoju/domain';
import { forbidden, queryScope, scopeCodes, type Principal } from '@huoju/platform';
import { countMembers, sumOfIndicator, targetBasis } from './targets.query';

export interface TargetProgress {
  readonly id: string;
  readonly parkCode: string;
  readonly titleZh: string;
  readonly titleEn: string;
  readonly year: number;
  readonly target: {
    readonly comparator: string;
    readonly value: string;
    readonly unit: string;
    readonly display: Target['display'];
  };
  /** The filings the actual comes from: the annual report of the year, else the latest month's year-to-date. */
  readonly basis: { readonly formId: string; readonly period: string } | null;
  readonly actual: string | null;
  /** actual ÷ target in %, for "at least" targets. */
  readonly progressPercent: string | null;
  readonly met: boolean | null;
  readonly measurable: boolean;
  readonly note?: string;
  readonly indicators: readonly {
    readonly indicator: string;
    readonly role: 'value' | 'numerator' | 'denominator';
    readonly value: string | null;
    readonly filter?: EnterpriseFilter;
  }[];
  readonly source: string;
}

/**
 * The action plans' targets (versioned data) against the filed figures. Computed directly from the facts
 * and the roster on the basis period's last day, so a target never double counts an enterprise that
 * carries two of the filter's tags.
 */
@Injectable()
export class TargetsService {
  constructor(private readonly orm: MikroORM) {}

  async progress(
    parkCode: string | undefined,
    principal: Principal,
  ): Promise<{ version: string; targets: TargetProgress[] }> {
    const visible = queryScope(principal, { park: parkCode });
    if (visible.kind === 'uscc' || visible.kind === 'street')
      throw forbidden('Targets are for park teams and the commission.');
    const parks = scopeCodes(visible, 'park');
    const selected = targets().filter((target) => !parks || parks.includes(target.parkCode));
    const em = this.orm.em.fork();
    const results: TargetProgress[] = [];
    for (const target of selected) results.push(await this.evaluate(em, target));
    return { version: targetsVersion(), targets: results };
  }

  private async evaluate(em: EntityManager, target: Target): Promise<TargetProgress> {
    const base = {
      id: target.id,
      parkCode: target.parkCode,
      titleZh: target.titleZh,
      titleEn: target.titleEn,
      year: target.year,
      target: { comparator: target.comparator, value: target.value, unit: target.unit, display: target.display },
      source: target.source,
      ...(target.note ? { note: target.note } : {}),
    };
    if (target.metric.kind === 'external') {
      return {
        ...base,
        basis: null,
        actual: null,
        progressPercent: null,
        met: null,
        measurable: false,
        note: target.metric.reason,
        indicators: [],
      };
    }
    const basis = await targetBasis(em, target.year);
    if (!basis)
      return { ...base, basis: null, actual: null, progressPercent: null, met: null, measurable: true, indicators: [] };
    const end = periodBounds(parsePeriod(basis.period, periodTypeOf(basis.formId) ?? 'month')).end;
    const scope = { park: target.parkCode === 'ZJ' ? null : target.parkCode, end, ...basis };
    let actual: string | null;
    let indicators: TargetProgress['indicators'];
    switch (target.metric.kind) {
      case 'sum': {
        actual = await sumOfIndicator(em, scope, target.metric.indicator, target.metric.filter);
        indicators = [
          { indicator: target.metric.indicator, role: 'value', value: actual, filter: target.metric.filter },
        ];
        break;
      }
      case 'count': {
        actual = String(await countMembers(em, scope, target.metric.filter));
        indicators = [];
        break;
      }
      case 'ratio': {
        const numerator = await sumOfIndicator(
          em,
          scope,
          target.metric.numerator.indicator,
          target.metric.numerator.filter,
        );
        const denominator = await sumOfIndicator(
          em,
          scope,
          target.metric.denominator.indicator,
          target.metric.denominator.filter,
        );
        const ratio =
          numerator !== null && denominator !== null
            ? percent(parseDecimal(numerator), parseDecimal(denominator), 2)
            : null;
        actual = ratio === null ? null : formatDecimal(ratio);
        indicators = [
          {
            indicator: target.metric.numerator.indicator,
            role: 'numerator',
            value: numerator,
            filter: target.metric.numerator.filter,
          },
          {
            indicator: target.metric.denominator.indicator,
            role: 'denominator',
            value: denominator,
            filter: target.metric.denominator.filter,
          },
        ];
        break;
      }
    }
    const goal = parseDecimal(target.value);
    const progressPercent =
      actual === null || goal === 0n ? null : formatDecimal(percent(parseDecimal(actual), goal, 2)!);
    const met = actual === null ? null : meets(parseDecimal(actual), target.comparator, goal);
    return { ...base, basis, actual, progressPercent, met, measurable: true, indicators };
  }
}

function meets(actual: bigint, comparator: Target['comparator'], goal: bigint): boolean {
  switch (comparator) {
    case '>=':
      return actual >= goal;
    case '>':
      return actual > goal;
    case '<=':
      return actual <= goal;
  }
}
