import { referencesFor } from './reference-periods';

describe(referencesFor.name, () => {
  it('reads the previous month, last year and, in December only, the annual report for the monthly form', () => {
    expect(referencesFor('torch-monthly', '2026-09')).toEqual({
      rosterDate: '2026-09-30',
      previousMonth: { formId: 'torch-monthly', period: '2026-08' },
      sameMonthLastYear: { formId: 'torch-monthly', period: '2025-09' },
      otherForm: undefined,
    });
    expect(referencesFor('torch-monthly', '2026-01').previousMonth).toBeUndefined();
    expect(referencesFor('torch-monthly', '2026-12').otherForm).toEqual({
      formId: 'torch-annual',
      period: '2026',
      labelZh: '年报',
      labelEn: 'annual report',
    });
  });

  it('reads last year and December’s monthly filing for the annual form', () => {
    expect(referencesFor('torch-annual', '2025')).toEqual({
      rosterDate: '2025-12-31',
      previousMonth: undefined,
      sameMonthLastYear: { formId: 'torch-annual', period: '2024' },
      otherForm: {
        formId: 'torch-monthly',
        period: '2025-12',
        labelZh: '12月月报',
        labelEn: 'December monthly report',
      },
    });
  });

  it('refuses a form the catalog does not hold', () => {
    expect(() => referencesFor('no-such-form', '2026-09')).toThrow('unknown form no-such-form');
  });
});
