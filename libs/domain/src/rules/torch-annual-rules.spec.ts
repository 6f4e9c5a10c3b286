import { formVersionFor, type FormVersion } from '../catalog';
import { ruleSetFor } from './rule-catalog';
import { RuleEngine } from './rule-engine';
import type { EvaluationContext, Explanation } from './rule.types';

const form = formVersionFor('torch-annual', '2025') as FormVersion;

/**
 * A clean 2025 annual report of a biopharmaceutical manufacturer in the park (千元, persons, patents).
 * It sits exactly on several boundaries on purpose: revenue by type adds up to revenue, doctorates plus
 * master's to postgraduates, the skill levels to skilled workers, assets to current plus non-current
 * assets and to liabilities plus equity.
 */
const base: Record<string, string> = {
  // GQ-002 经济概况
  qc02: '158000',
  qc05_0: '180000',
  qc55: '175000',
  qc06: '12000',
  qc06_1: '2000',
  qc06_2: '1000',
  qc06_3: '4000',
  qc06_4: '5000',
  qc07: '160000',
  qc09: '150000',
  qc10: '5000',
  qc49: '3000',
  qc52: '60000',
  qc11: '40000',
  qc38: '30000',
  qc11_1: '5000',
  qc220: '110000',
  qc221: '1500',
  qc222: '12000',
  qc223: '15000',
  qc236: '18000',
  qc224: '-300', // net interest income: finance expenses may be negative
  qc120: '23800',
  qc234: '24000',
  qc12: '21600',
  qc231: '2400',
  qc13: '9000',
  qc14: '5500',
  qc16: '2600',
  qc17: '5000',
  qc20_1: '2400',
  qc20_2: '2000',
  qc20_3: '100',
  qc51: '36000',
  qc24: '250000',
  qc25: '140000',
  qc27_1: '110000',
  qc29: '60000',
  qc30: '20000',
  qc31: '90000',
  qc237: '60000',
  qc32: '30000',
  qc33: '160000',
  qc34: '50000',
  qc40: '15000',
  qc41: '1200.5',
  QC226: '0',
  // GQ-003 人员
  qd01: '180',
  qd03: '12',
  qd25: '3',
  qd21: '1',
  qd26: '30',
  qd14: '8',
  qd05: '172',
  qd18: '40',
  qd06: '8',
  qd07: '32',
  qd08: '90',
  qd09: '30',
  qd31: '25',
  qd32: '1',
  qd33: '3',
  qd34: '6',
  qd35: '8',
  qd36: '7',
  qd27: '20',
  qd28: '100',
  // GQ-005 研究开发活动
  qj09: '60',
  qj67: '6',
  qj09_1: '55',
  qj09_2: '50',
  qj09_3: '5',
  qj20: '20000',
  qj23_1: '11000',
  qj23_2: '4000',
  qj23_3: '1500',
  qj23_4: '500',
  qj23_6: '800',
  qj23_7: '700',
  qj33: '1200',
  qj33_1: '300',
  qj33_2: '500',
  qj33_4: '400',
  qj33_3: '0',
  qj23_5: '300',
  qj250: '3000',
  qj251: '2500',
  qj256: '19000',
  qj252: '1000',
  qj253: '0',
  qj254: '0',
  qj255: '0',
  qi01: '1',
  qi07_0: '45',
  qi14_1: '15000',
  qj55: '12',
  qj56: '8',
  qj56_1: '6',
  qj55_1: '2',
  qj55_2: '2',
  qj74: '7',
  qj57: '3',
  qj57_1: '3',
  qj75: '1',
  qj83: '45',
  qj83_1: '5',
  qj82: '4',
  qj73: '20',
};
const manufacturer = { enterprise: { industryCode: 'C2761', inScope: true } } satisfies EvaluationContext;

function evaluate(
  values: Record<string, string>,
  context: EvaluationContext = manufacturer,
  explanations: Explanation[] = [],
) {
  const sut = new RuleEngine(form, ruleSetFor(form));
  return sut.evaluate({ period: '2025', values, explanations }, context);
}

function codes(values: Record<string, string>, context?: EvaluationContext) {
  return evaluate(values, context).findings.map((finding) => finding.ruleCode);
}

function without(values: Record<string, string>, ...omitted: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([code]) => !omitted.includes(code)));
}

describe(`${RuleEngine.name} with the Torch annual rules 2025.1`, () => {
  it('accepts a clean annual filing with no findings', () => {
    const result = evaluate(base);
    expect(result.findings).toEqual([]);
    expect(result).toMatchObject({
      outcome: 'accepted',
      formId: 'torch-annual',
      formVersion: '2025.1',
      ruleSetVersion: '2025.1',
    });
    expect(result.rulesEvaluated).toBe(ruleSetFor(form).rules.length);
  });

  it('fills every indicator of the form in the clean filing', () => {
    expect(Object.keys(base).sort()).toEqual(form.indicators.map((indicator) => indicator.code).sort());
  });

  describe.each([
    // rule, values that pass (at the boundary), values that fail (just past it)
    ['TA-SGN-001', { ...base, qc220: '0' }, { ...base, qc220: '-0.001' }],
    ['TA-SGN-001', { ...base, qc34: '0' }, { ...base, qc34: '-0.001' }],
    ['TA-INT-001', { ...base, qi01: '2' }, { ...base, qi01: '1.5' }],
    ['TA-INT-001', { ...base, qd05: '172' }, { ...base, qd05: '171.5' }],
    ['TA-PAR-001', { ...base, qc55: '180000' }, { ...base, qc55: '180000.001' }],
    ['TA-PAR-001', { ...base, qj55_2: '12' }, { ...base, qj55_2: '13' }],
    ['TA-SUM-001', { ...base, qc06: '12001' }, { ...base, qc06: '12001.001' }],
    ['TA-SUM-001', { ...base, qj20: '19999' }, { ...base, qj20: '19998.999' }],
    ['TA-CMP-001', { ...base, qd07: '32' }, { ...base, qd07: '33' }],
    ['TA-CMP-002', { ...base, qd08: '110' }, { ...base, qd08: '111' }],
    ['TA-CMP-003', { ...base, qj33_1: '301' }, { ...base, qj33_1: '301.001' }],
    ['TA-CMP-004', { ...base, qj09: '185' }, { ...base, qj09: '186' }],
    ['TA-CMP-005', { ...base, qj09: '180' }, { ...base, qj09: '181' }],
    ['TA-CMP-006', { ...base, qc14: '6401' }, { ...base, qc14: '6401.001' }],
    ['TA-CMP-007', { ...base, qc38: '35001' }, { ...base, qc38: '35001.001' }],
    ['TA-CMP-008', { ...base, qc20_1: '2901' }, { ...base, qc20_1: '2901.001' }],
    ['TA-CMP-009', { ...base, qd36: '7' }, { ...base, qd36: '8' }],
    ['TA-CMP-010', { ...base, qc49: '3001' }, { ...base, qc49: '3001.001' }],
    ['TA-CMP-011', { ...base, qc25: '140001' }, { ...base, qc25: '140001.001' }],
    ['TA-CMP-011', { ...base, qc25: '139999' }, { ...base, qc25: '139998.999' }],
    ['TA-CMP-012', { ...base, qc33: '160001' }, { ...base, qc33: '160001.001' }],
    ['TA-CMP-012', { ...base, qc33: '159999' }, { ...base, qc33: '159998.999' }],
    ['TA-CMP-013', { ...base, qc29: '90001' }, { ...base, qc29: '90001.001' }],
    ['TA-CMP-014', { ...base, qc13: '180000' }, { ...base, qc13: '180000.001' }],
    ['TA-CMP-015', { ...base, qc34: '160000' }, { ...base, qc34: '160000.001' }],
    ['TA-CMP-016', { ...base, qc12: '0' }, { ...base, qc12: '-0.001' }],
    ['TA-CMP-017', { ...base, qc31: '250000' }, { ...base, qc31: '250000.001' }],
    ['TA-CMP-018', { ...base, qi07_0: '60' }, { ...base, qi07_0: '61' }],
    ['TA-CMP-019', { ...base, qi14_1: '20001' }, { ...base, qi14_1: '20001.001' }],
    ['TA-CMP-020', { ...base, qj82: '5' }, { ...base, qj82: '6' }],
    ['TA-CMP-021', { ...base, qj256: '22001' }, { ...base, qj256: '22001.001' }],
    ['TA-CND-002', { ...without(base, 'qj09'), qj20: '0' }, { ...without(base, 'qj09'), qj20: '0.001' }],
    ['TA-RAT-001', { ...base, qj20: '180000' }, { ...base, qj20: '180000.001' }],
    ['TA-RAT-002', { ...base, qc11: '180000' }, { ...base, qc11: '180000.001' }],
    ['TA-RAT-003', { ...base, qj20: '9000' }, { ...base, qj20: '8999.999' }],
    ['TA-RAT-004', { ...base, qc236: '10000' }, { ...base, qc236: '9999.999' }],
    ['TA-RAT-005', { ...base, qd05: '45' }, { ...base, qd05: '44' }],
    ['TA-RAT-005', { ...base, qd05: '720' }, { ...base, qd05: '721' }],
  ])('%s', (rule, passing, failing) => {
    it('passes at the boundary', () => expect(codes(passing)).not.toContain(rule));
    it('fires just past it', () => expect(codes(failing)).toContain(rule));
  });

  describe('required indicators', () => {
    const required = form.indicators.filter((indicator) => indicator.required).map((indicator) => indicator.code);

    it('are the core of the form', () => {
      expect(required).toEqual(['qc05_0', 'qc12', 'qc13', 'qc24', 'qd01', 'qj20']);
    });

    it.each(required)('%s: a reported 0 passes, a missing value is an error', (code) => {
      const zero = evaluate({ ...base, [code]: '0' }).findings.filter((f) => f.ruleCode === 'TA-REQ-001');
      expect(zero).toEqual([]);
      const missing = evaluate(without(base, code)).findings.filter((f) => f.ruleCode === 'TA-REQ-001');
      expect(missing).toMatchObject([{ severity: 'error', indicators: [code], values: { [code]: null } }]);
    });
  });

  describe('every "of which" item of the catalog against its total', () => {
    const pairs = form.indicators
      .filter((indicator) => indicator.parent)
      .map((indicator) => [indicator.code, indicator.parent!, indicator.decimals] as const);

    it.each(pairs)('%s ≤ %s', (child, parent, decimals) => {
      const step = decimals === 0 ? '1' : '0.001';
      const parentValue = base[parent]!;
      const atParent = evaluate({ ...base, [child]: parentValue }).findings.filter(
        (f) => f.ruleCode === 'TA-PAR-001' && f.indicators[0] === child,
      );
      expect(atParent).toEqual([]);
      const above = evaluate({ ...base, [child]: String(Number(parentValue) + Number(step)) });
      const finding = above.findings.find((f) => f.ruleCode === 'TA-PAR-001' && f.indicators[0] === child);
      expect(finding).toMatchObject({ severity: 'error', indicators: [child, parent] });
      expect(above.outcome).toBe('rejected');
    });
  });

  it('allows negative profit, income tax, finance expenses and equity, but nothing else', () => {
    const losses = { ...base, qc120: '-5000', qc234: '-4800', qc12: '-4800', qc231: '0', qc224: '-300' };
    expect(codes(losses)).toEqual(['TA-CMP-016']);
    expect(codes({ ...base, qc231: '-150' })).toEqual([]);
    const insolvent = { ...base, qc31: '260000', qc33: '-10000' };
    expect(codes(insolvent)).toEqual(['TA-CMP-015', 'TA-CMP-017']);
    const negatives = evaluate({ ...base, qc40: '-1', QC226: '-2', qd26: '-1', qj253: '-0.5' });
    expect(negatives.findings.filter((f) => f.ruleCode === 'TA-SGN-001').map((f) => f.indicators[0])).toEqual([
      'qc40',
      'QC226',
      'qd26',
      'qj253',
    ]);
    expect(negatives.outcome).toBe('rejected');
  });

  it('checks the sum of technology income and of R&D expenditure, and says which components it added', () => {
    const result = evaluate({ ...base, qj23_5: '2300' });
    const finding = result.findings.find((f) => f.ruleCode === 'TA-SUM-001');
    expect(finding).toMatchObject({
      severity: 'error',
      indicators: ['qj20', 'qj23_1', 'qj23_2', 'qj23_3', 'qj23_4', 'qj23_6', 'qj23_7', 'qj33', 'qj23_5'],
      values: { qj20: '20000', qj23_5: '2300' },
    });
    expect(finding?.messageZh).toContain('合计22000千元');
  });

  it('counts external R&D hires against employees only as a warning', () => {
    const external = {
      ...base,
      qd01: '58',
      qd18: '20',
      qd06: '4',
      qd07: '16',
      qd08: '30',
      qd09: '8',
      qd31: '0',
      qd32: '0',
      qd33: '0',
      qd34: '0',
      qd35: '0',
      qd36: '0',
      qd27: '8',
      qd28: '40',
      qd26: '10',
      qd14: '3',
      qd05: '57',
      qd03: '2',
    };
    // 60 R&D staff of whom 5 external: 55 in-house ≤ 58 employees
    const result = evaluate(external);
    expect(result.findings.map((f) => f.ruleCode)).toEqual(['TA-CMP-005']);
    expect(result.outcome).toBe('needs-explanation');
    // 54 employees: 55 in-house R&D staff is impossible
    expect(codes({ ...external, qd01: '54', qd05: '54', qd08: '26' })).toEqual(['TA-CMP-004', 'TA-CMP-005']);
  });

  it('treats a large gap between the income-statement R&D expense and R&D expenditure as a warning either way', () => {
    expect(codes({ ...base, qc236: '0' })).toEqual(['TA-RAT-004']);
    expect(codes({ ...base, qc236: '45000' })).toEqual(['TA-RAT-003']);
    expect(evaluate({ ...base, qc236: '45000' }).outcome).toBe('needs-explanation');
  });

  it('requires industrial output of manufacturers only', () => {
    const noOutput = without(base, 'qc02');
    expect(codes(noOutput, manufacturer)).toEqual(['TA-CND-001']);
    expect(codes(noOutput, { enterprise: { industryCode: 'I6513', inScope: true } })).toEqual([]);
    expect(codes({ ...noOutput, qc02: '0' }, manufacturer)).toEqual([]);
  });

  it('refuses an enterprise outside the survey scope, and says nothing when scope is unknown', () => {
    const outside = evaluate(base, { enterprise: { industryCode: 'C2761', inScope: false } });
    expect(outside.findings.map((f) => f.ruleCode)).toEqual(['TA-SCP-001']);
    expect(outside.outcome).toBe('rejected');
    expect(codes(base, {})).toEqual([]);
  });

  describe('year on year', () => {
    const lastYear = (values: Record<string, string>) => ({
      period: '2024',
      revision: 1,
      values: { ...base, ...values },
    });

    it.each([
      ['qc05_0', '180000', '120000', false], // +50% exactly
      ['qc05_0', '180000', '119999.999', true],
      ['qc05_0', '180000', '360000', false], // −50% exactly
      ['qc05_0', '180000', '360000.001', true],
      ['qj20', '20000', '40000.001', true],
      ['qj20', '20000', '999.999', false], // last year's base is below the 1000 floor
      ['qd01', '180', '100', false], // a base of 100 persons is below the floor of 1000
    ])('%s of %s against last year %s → warning %s', (code, now, then, fires) => {
      const result = evaluate(
        { ...base, [code]: now },
        { ...manufacturer, sameMonthLastYear: lastYear({ [code]: then }) },
      );
      expect(result.findings.some((f) => f.ruleCode === 'TA-YOY-001' && f.indicators[0] === code)).toBe(fires);
    });
  });

  describe('against December year-to-date of the monthly report', () => {
    const december = (values: Record<string, string>) => ({
      formId: 'torch-monthly' as const,
      period: '2025-12',
      revision: 2,
      values: { qc05_0: '180000', qj20: '20000', qd01: '180', ...values },
    });

    it.each([
      ['qc05_0', '171428.572', false], // 180000 is 4.99999% above
      ['qc05_0', '171428.571', true], // … and 5.0000006% above
      ['qj20', '21052.631', false], // 20000 is 4.999998% below
      ['qj20', '21052.632', true], // … and 5.000002% below
      ['qd01', '190', true], // 180 against 190 is −5.26%
      ['qd01', '189', false],
    ])('%s against December %s → warning %s', (code, monthly, fires) => {
      const result = evaluate(base, { ...manufacturer, otherForm: december({ [code]: monthly }) });
      const finding = result.findings.find((f) => f.ruleCode === 'TA-MON-001' && f.indicators[0] === code);
      expect(finding !== undefined).toBe(fires);
      if (finding) expect(finding.messageZh).toContain('12月月报（2025-12）');
    });
  });

  it('returns every problem of a filing at once', () => {
    const result = evaluate({
      ...without(base, 'qc13'), // taxes paid not reported
      qc55: '190000', // main-business revenue above revenue
      qj56: '13', // more invention applications than applications
      qc06_4: '5001.5', // technology income no longer adds up (12001.5 against 12000)
      qc220: '-110000', // cost of sales with a minus sign
      qd01: '50.5', // half a person
      qd05: '50',
      qd08: '10',
      qd09: '2', // 40 postgraduates + 10 + 2 > 50.5 employees
      qd28: '30',
      qc12: '-100', // a loss
      // and 60 R&D staff, 5 of them external: 55 in-house > 50.5 employees
    });
    expect(result.findings.map((f) => [f.ruleCode, f.severity, f.indicators[0]])).toEqual([
      ['TA-REQ-001', 'error', 'qc13'],
      ['TA-SGN-001', 'error', 'qc220'],
      ['TA-INT-001', 'error', 'qd01'],
      ['TA-PAR-001', 'error', 'qc55'],
      ['TA-PAR-001', 'error', 'qj56'],
      ['TA-SUM-001', 'error', 'qc06'],
      ['TA-CMP-002', 'error', 'qd18'],
      ['TA-CMP-004', 'error', 'qj09'],
      ['TA-CMP-005', 'warning', 'qj09'],
      ['TA-CMP-016', 'warning', 'qc12'],
    ]);
    expect(result.outcome).toBe('rejected');
  });

  describe('explanations', () => {
    it('accepts a net loss explained with a coded reason and specific text', () => {
      const explanation = {
        ruleCode: 'TA-CMP-016',
        reasonCode: 'BUSINESS_CHANGE',
        text: '新产品线投产首年，研发与折旧增加约2500万元导致亏损',
      };
      const result = evaluate({ ...base, qc12: '-100' }, manufacturer, [explanation]);
      expect(result.outcome).toBe('accepted');
      expect(result.findings[0]?.explanation?.reasonCode).toBe('BUSINESS_CHANGE');
    });

    it('refuses boilerplate', () => {
      expect(
        evaluate({ ...base, qc12: '-100' }, manufacturer, [
          { ruleCode: 'TA-CMP-016', reasonCode: 'OTHER', text: '核实无误' },
        ]).outcome,
      ).toBe('needs-explanation');
    });

    it('cannot explain away an error', () => {
      const explanation = {
        ruleCode: 'TA-CMP-004',
        reasonCode: 'OTHER',
        text: '研发人员包括集团其他公司派驻的人员，已经核对',
      };
      expect(evaluate({ ...base, qj09: '186' }, manufacturer, [explanation]).outcome).toBe('rejected');
    });
  });
});
