import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultScopeFormIds,
  engineFor,
  formIds,
  formVersionFor,
  isFormId,
  periodTypeOf,
  referencesFor,
} from '@huoju/domain';
import { loadFormCatalogDirectory } from './form-catalog.loader';

// The fixture form of the e2e test (libs/testing/fixtures/forms), read here without the harness.
const FIXTURE_FORMS_DIR = join(__dirname, '../../../testing/fixtures/forms');
const FIXTURE_FORM_ID = 'fixture-monthly';

function directoryWith(files: Record<string, unknown>): string {
  const directory = mkdtempSync(join(tmpdir(), 'forms-'));
  for (const [name, json] of Object.entries(files)) writeFileSync(join(directory, name), JSON.stringify(json));
  return directory;
}

describe(loadFormCatalogDirectory.name, () => {
  it('adds the fixture form and its rules to the catalog, read from JSON only', () => {
    expect(isFormId(FIXTURE_FORM_ID)).toBe(false);
    const sut = loadFormCatalogDirectory(FIXTURE_FORMS_DIR);

    expect(sut).toEqual({ forms: ['fixture-monthly 2026.1'], ruleSets: ['fixture-monthly 2026.1'] });
    expect(formIds()).toEqual(['torch-monthly', 'torch-annual', 'fixture-monthly']);
    expect(periodTypeOf(FIXTURE_FORM_ID)).toBe('month');
    expect(defaultScopeFormIds()).toEqual(['torch-monthly', 'torch-annual']);
    expect(referencesFor(FIXTURE_FORM_ID, '2026-09')).toEqual({
      rosterDate: '2026-09-30',
      previousMonth: { formId: FIXTURE_FORM_ID, period: '2026-08' },
      sameMonthLastYear: { formId: FIXTURE_FORM_ID, period: '2025-09' },
      otherForm: undefined,
    });
    const form = formVersionFor(FIXTURE_FORM_ID, '2026-09')!;
    const result = engineFor(form).evaluate({
      period: '2026-09',
      values: { fx_rev: '10', fx_tech: '12', fx_emp: '3' },
    });
    expect(result.findings.map((finding) => finding.ruleCode)).toEqual(['FX-PAR-001']);
    expect(result.outcome).toBe('rejected');
    // Loading the same directory twice is refused, not doubled.
    expect(() => loadFormCatalogDirectory(FIXTURE_FORMS_DIR)).toThrow('fixture-monthly 2026.1 is known already');
  });

  it('names the file and the field of an invalid form', () => {
    const directory = directoryWith({ 'broken.json': { formId: 'Broken Form', version: '1' } });
    expect(() => loadFormCatalogDirectory(directory)).toThrow(/broken\.json[\s\S]*formId/);
  });

  it('refuses a form without its rule set', () => {
    const directory = directoryWith({
      'lonely.json': {
        formId: 'lonely-annual',
        version: '1',
        titleZh: '孤表',
        titleEn: 'Lonely',
        shortTitleZh: '孤表',
        shortTitleEn: 'lonely',
        defaultScope: false,
        references: { previousInYear: false },
        sdmxDataflow: { agency: 'HUOJU', id: 'LONELY', version: '1.0' },
        periodType: 'year',
        validFrom: '2025',
        schedule: { dueDay: 31, dueMonthsAfterPeriodEnd: 3, graceDays: 0, lockDaysAfterDue: 30, remindDaysBefore: 7 },
        ruleSetVersion: '1',
        source: 'test',
        indicators: [
          {
            code: 'a',
            nameZh: '甲',
            nameEn: 'A',
            unit: '人',
            kind: 'stock',
            signed: false,
            decimals: 0,
            required: true,
          },
        ],
      },
    });
    expect(() => loadFormCatalogDirectory(directory)).toThrow('no rule set 1 for lonely-annual 1');
  });
});
