import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FactKey } from '../facts/facts.repository';

export interface FormPeriod {
  readonly formId: string;
  readonly period: string;
}

/** The reads that decide which park-periods need a roll-up (the use case is RollupScheduler). */
@Injectable()
export class RollupScheduleQuery {
  /** Every period these enterprises have filed in, and every period served figures exist for. */
  async rosterKeys(em: EntityManager, usccs: readonly string[]): Promise<FactKey[]> {
    if (usccs.length === 0) return [];
    const keys = await em.execute<{ uscc: string; form_id: string; period: string }[]>(
      `SELECT DISTINCT u.uscc, s.form_id, s.period FROM jsonb_array_elements_text(?::jsonb) AS u(uscc)
         JOIN filing_state s ON s.uscc = u.uscc
       UNION
       SELECT u.uscc, p.form_id, p.period FROM jsonb_array_elements_text(?::jsonb) AS u(uscc)
         CROSS JOIN (SELECT DISTINCT form_id, period FROM figure_scope) p`,
      [JSON.stringify(usccs), JSON.stringify(usccs)],
    );
    return keys.map((k) => ({ uscc: k.uscc, formId: k.form_id, period: k.period }));
  }

  /** The form-periods any fact exists for. */
  async factPeriods(em: EntityManager): Promise<FormPeriod[]> {
    const rows = await em.execute<{ form_id: string; period: string }[]>('SELECT DISTINCT form_id, period FROM fact');
    return rows.map((r) => ({ formId: r.form_id, period: r.period }));
  }

  /** `form|period|park` of every park whose figures of that period are final. */
  async finalParkPeriods(em: EntityManager): Promise<Set<string>> {
    const rows = await em.execute<{ form_id: string; period: string; park_code: string }[]>(
      'SELECT DISTINCT form_id, period, park_code FROM figure WHERE final',
    );
    return new Set(rows.map((f) => finalKey(f.form_id, f.period, f.park_code)));
  }

  /** The parks with at least one member on that day. */
  async parksWithMembersOn(em: EntityManager, day: string): Promise<string[]> {
    const rows = await em.execute<{ park_code: string }[]>(
      'SELECT DISTINCT park_code FROM roster_membership WHERE valid_from <= ?::date AND (valid_to IS NULL OR valid_to >= ?::date)',
      [day, day],
    );
    return rows.map((r) => r.park_code);
  }
}

export function finalKey(formId: string, period: string, parkCode: string): string {
  return `${formId}|${period}|${parkCode}`;
}
