import { parsePeriod } from '../period';
import { ruleSetFor } from '../rules/rule-catalog';
import type { Check, Condition, Expression } from '../rules/rule.types';
import { COUNTED_UNITS, type FormVersion } from './catalog.types';
import {
  DEFAULT_FORM_ID,
  defaultScopeFormIds,
  findFormVersion,
  formIds,
  formVersionFor,
  formVersions,
  indicatorMap,
  isFormId,
  periodTypeOf,
  registerFormVersion,
  scheduleFor,
} from './form-catalog';

/** Every indicator code a check names, so a rule set can be checked against its form. */
function referencedIndicators(check: Check): string[] {
  switch (check.kind) {
    case 'required':
    case 'ytd-not-decreasing':
    case 'yoy-change':
    case 'matches-other-form':
      return [...check.indicators];
    case 'child-not-above-parent':
      return (check.pairs ?? []).flatMap(([child, parent]) => [child, parent]);
    case 'compare':
      return [...expressionIndicators(check.left), ...expressionIndicators(check.right)];
    case 'ratio-bounds':
      return [check.numerator, check.denominator];
    case 'required-if':
      return [...conditionIndicators(check.when), ...check.indicators];
    case 'non-negative':
    case 'integer':
    case 'sum-of-children':
    case 'in-scope':
      return [];
  }
}

function expressionIndicators(expression: Expression): string[] {
  if ('indicator' in expression) return [expression.indicator];
  if ('sum' in expression) return [...expression.sum];
  return [];
}

function conditionIndicators(condition: Condition): string[] {
  return condition.kind === 'compare'
    ? [...expressionIndicators(condition.left), ...expressionIndicators(condition.right)]
    : [];
}

const forms = formVersions().map((form) => [`${form.formId} ${form.version}`, form] as const);

describe('form catalog', () => {
  it('knows the monthly and the annual form', () => {
    expect(forms.map(([name]) => name)).toEqual(['torch-monthly 2026.1', 'torch-annual 2025.1']);
  });

  it('derives the form ids, their period types and the default scope from the forms', () => {
    expect(formIds()).toEqual(['torch-monthly', 'torch-annual']);
    expect(formIds().map((formId) => [isFormId(formId), periodTypeOf(formId)])).toEqual([
      [true, 'month'],
      [true, 'year'],
    ]);
    expect(isFormId('torch-quarterly')).toBe(false);
    expect(periodTypeOf('torch-quarterly')).toBeUndefined();
    expect(defaultScopeFormIds()).toEqual(['torch-monthly', 'torch-annual']);
    expect(isFormId(DEFAULT_FORM_ID)).toBe(true);
  });

  it('refuses to register a version it holds already', () => {
    expect(() => registerFormVersion(formVersions()[0]!)).toThrow('torch-monthly 2026.1 is known already');
  });

  describe.each(forms)('%s', (_, form: FormVersion) => {
    const byCode = indicatorMap(form);
    const children = form.indicators.filter((indicator) => indicator.parent);

    it('reads only forms of the catalog, under a dataflow of its own', () => {
      const other = form.references.otherForm;
      if (other) expect(isFormId(other.formId)).toBe(true);
      const dataflows = formVersions().filter((f) => f.sdmxDataflow.id === form.sdmxDataflow.id);
      expect(dataflows.map((f) => f.formId)).toEqual([form.formId]);
    });

    it('has unique indicator codes', () => {
      const codes = form.indicators.map((indicator) => indicator.code);
      expect(codes.filter((code, index) => codes.indexOf(code) !== index)).toEqual([]);
    });

    it('links every "of which" item to an indicator of the form listed before it', () => {
      for (const child of children) {
        expect({ child: child.code, parentFound: byCode.has(child.parent!) }).toEqual({
          child: child.code,
          parentFound: true,
        });
        const order = form.indicators.findIndex((indicator) => indicator.code === child.parent);
        expect({ child: child.code, parentFirst: order < form.indicators.indexOf(child) }).toEqual({
          child: child.code,
          parentFirst: true,
        });
      }
    });

    it('builds every total from indicators of the form that are its own "of which" items', () => {
      for (const total of form.indicators.filter((indicator) => indicator.sumOf)) {
        expect(total.sumOf!.length).toBeGreaterThan(1);
        for (const code of total.sumOf!) {
          expect({ total: total.code, component: code, parent: byCode.get(code)?.parent }).toEqual({
            total: total.code,
            component: code,
            parent: total.code,
          });
        }
      }
    });

    it('gives children the unit and section of their parent', () => {
      for (const child of children) {
        const parent = byCode.get(child.parent!)!;
        expect({ child: child.code, unit: child.unit, section: child.section }).toEqual({
          child: child.code,
          unit: parent.unit,
          section: parent.section,
        });
      }
    });

    it('names exactly the "of which" items 其中', () => {
      for (const indicator of form.indicators) {
        expect({ code: indicator.code, ofWhich: indicator.nameZh.startsWith('其中：') }).toEqual({
          code: indicator.code,
          ofWhich: indicator.parent !== undefined,
        });
        expect({ code: indicator.code, ofWhich: indicator.nameEn.startsWith('of which: ') }).toEqual({
          code: indicator.code,
          ofWhich: indicator.parent !== undefined,
        });
      }
    });

    it('counts persons, patents and institutions in whole numbers and money and energy to three places', () => {
      for (const indicator of form.indicators) {
        const decimals = COUNTED_UNITS.includes(indicator.unit) ? 0 : 3;
        expect({ code: indicator.code, decimals: indicator.decimals }).toEqual({ code: indicator.code, decimals });
      }
    });

    it('allows negative values only for money', () => {
      const signedCounts = form.indicators.filter((indicator) => indicator.signed && indicator.unit !== '千元');
      expect(signedCounts).toEqual([]);
    });

    it('is found by its id and version', () => {
      expect(findFormVersion(form.formId, form.version)).toBe(form);
    });

    describe('rule set', () => {
      const ruleSet = ruleSetFor(form);

      it('belongs to this form version', () => {
        expect(ruleSet).toMatchObject({ formId: form.formId, formVersion: form.version, version: form.ruleSetVersion });
      });

      it('has unique rule codes of the form TM-/TA-KIND-NNN', () => {
        const codes = ruleSet.rules.map((rule) => rule.code);
        expect(codes.filter((code, index) => codes.indexOf(code) !== index)).toEqual([]);
        const prefix = form.formId === 'torch-monthly' ? 'TM' : 'TA';
        for (const code of codes) expect(code).toMatch(new RegExp(`^${prefix}-[A-Z]{3}-\\d{3}$`));
      });

      it('references only indicators of its form', () => {
        for (const rule of ruleSet.rules) {
          const unknown = referencedIndicators(rule.check).filter((code) => !byCode.has(code));
          expect({ rule: rule.code, unknown }).toEqual({ rule: rule.code, unknown: [] });
        }
      });

      it('requires exactly the indicators the catalog marks required', () => {
        const required = ruleSet.rules.flatMap((rule) => (rule.check.kind === 'required' ? rule.check.indicators : []));
        const catalog = form.indicators.filter((indicator) => indicator.required).map((indicator) => indicator.code);
        expect([...required].sort()).toEqual([...catalog].sort());
      });

      it('compares only indicators of the same unit', () => {
        for (const rule of ruleSet.rules) {
          if (rule.check.kind !== 'compare') continue;
          const units = new Set(referencedIndicators(rule.check).map((code) => byCode.get(code)?.unit));
          expect({ rule: rule.code, units: units.size }).toEqual({ rule: rule.code, units: 1 });
        }
      });

      it('tells the enterprise in both languages what is wrong and what to do', () => {
        for (const rule of ruleSet.rules) {
          for (const text of [rule.titleZh, rule.titleEn, rule.remedyZh, rule.remedyEn]) {
            expect({ rule: rule.code, text: text.trim().length > 0 }).toEqual({ rule: rule.code, text: true });
          }
        }
      });
    });
  });

  describe(formVersionFor.name, () => {
    it.each([
      ['torch-monthly', '2026-03', '2026.1'],
      ['torch-monthly', '2025-01', '2026.1'], // its first period
      ['torch-annual', '2025', '2025.1'],
      ['torch-annual', '2024', '2025.1'], // its first period
    ])('finds %s for %s: version %s', (formId, period, version) => {
      expect(formVersionFor(formId, period)?.version).toBe(version);
    });

    it.each([
      ['torch-monthly', '2024-12'], // before validFrom
      ['torch-annual', '2023'], // before validFrom
      ['torch-monthly', '2026'], // a year is not a month
      ['torch-monthly', '2026-3'],
      ['torch-monthly', '2026-13'],
      ['torch-annual', '2025-12'], // a month is not a year
      ['torch-annual', '25'],
      ['torch-quarterly', '2026-03'], // no such form
    ])('finds nothing for %s %s', (formId, period) => {
      expect(formVersionFor(formId, period)).toBeUndefined();
    });
  });

  describe(scheduleFor.name, () => {
    it('gives the monthly form for March 2026 its April deadlines', () => {
      const form = formVersionFor('torch-monthly', '2026-03')!;
      const schedule = scheduleFor(form, parsePeriod('2026-03', 'month'));
      expect(schedule).toMatchObject({
        opensOn: '2026-04-01',
        dueOn: '2026-04-15',
        graceEndsOn: '2026-04-18',
        remindOn: '2026-04-12',
        // A month of 2026 can be corrected until the 2026 annual report locks.
        locksOn: '2027-04-30',
      });
      expect(schedule.dueAt.toISOString()).toBe('2026-04-15T16:00:00.000Z');
      expect(schedule.graceEndsAt.toISOString()).toBe('2026-04-18T16:00:00.000Z');
    });

    it('gives the annual form for 2025 the deadline of 31 March 2026', () => {
      const form = formVersionFor('torch-annual', '2025')!;
      const schedule = scheduleFor(form, parsePeriod('2025', 'year'));
      expect(schedule).toMatchObject({
        opensOn: '2026-01-01',
        dueOn: '2026-03-31',
        graceEndsOn: '2026-04-10',
        remindOn: '2026-03-17',
        locksOn: '2026-04-30',
      });
      expect(schedule.dueAt.toISOString()).toBe('2026-03-31T16:00:00.000Z');
    });
  });
});
