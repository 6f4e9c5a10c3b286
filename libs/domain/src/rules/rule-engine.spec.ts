import { formVersionFor } from '../catalog';
import type { FormVersion } from '../catalog';
import { ruleSetFor } from './rule-catalog';
import { RuleEngine } from './rule-engine';
import type { EvaluationContext, Explanation, RuleSet } from './rule.types';

const form = formVersionFor('torch-monthly', '2026-03') as FormVersion;
const base = {
  qc05_0: '1000',
  qc55: '900',
  qc06: '50',
  qc12: '-20',
  qc13: '30',
  qc11: '100',
  qd01: '20',
  qj20: '80',
  qj55: '3',
  qj56: '2',
  qj55_2: '1',
};
const service = { enterprise: { industryCode: 'I6513', inScope: true } } satisfies EvaluationContext;

function evaluate(
  values: Record<string, string>,
  context: EvaluationContext = service,
  explanations: Explanation[] = [],
) {
  const sut = new RuleEngine(form, ruleSetFor(form));
  return sut.evaluate({ period: '2026-03', values, explanations }, context);
}

function codes(values: Record<string, string>, context?: EvaluationContext) {
  return evaluate(values, context).findings.map((finding) => finding.ruleCode);
}

describe(RuleEngine.name, () => {
  it('accepts a clean filing with no findings', () => {
    const result = evaluate(base);
    expect(result).toMatchObject({
      outcome: 'accepted',
      findings: [],
      ruleSetVersion: '2026.1',
      formVersion: '2026.1',
    });
    expect(result.rulesEvaluated).toBe(ruleSetFor(form).rules.length);
  });

  describe.each([
    // rule, values that pass (at the boundary), values that fail (just past it)
    ['TM-REQ-001', { ...base, qd01: '0' }, (({ qd01: _, ...rest }) => rest)(base)],
    ['TM-SGN-001', { ...base, qc13: '0' }, { ...base, qc13: '-0.001' }],
    ['TM-INT-001', { ...base, qd01: '21' }, { ...base, qd01: '20.5' }],
    ['TM-PAR-001', { ...base, qc55: '1000' }, { ...base, qc55: '1000.001' }],
    ['TM-CMP-001', { ...base, qc13: '1000' }, { ...base, qc13: '1000.001' }],
    ['TM-RAT-001', { ...base, qj20: '1000' }, { ...base, qj20: '1000.1' }],
    ['TM-RAT-002', { ...base, qc11: '1000' }, { ...base, qc11: '1000.01' }],
  ])('%s', (rule, passing, failing) => {
    it('passes at the boundary', () => expect(codes(passing)).not.toContain(rule));
    it('fires just past it', () => expect(codes(failing)).toContain(rule));
  });

  it('allows a negative net profit but not a negative revenue', () => {
    expect(codes({ ...base, qc12: '-99999' })).toEqual([]);
    const result = evaluate({ ...base, qc05_0: '-1', qc55: '-2', qc06: '-3' });
    const negatives = result.findings.filter((f) => f.ruleCode === 'TM-SGN-001').map((f) => f.indicators[0]);
    expect(negatives).toEqual(['qc05_0', 'qc55', 'qc06']);
    expect(result.outcome).toBe('rejected');
  });

  it('requires industrial output of manufacturers only', () => {
    expect(codes(base, { enterprise: { industryCode: 'C3963', inScope: true } })).toContain('TM-CND-001');
    expect(codes({ ...base, qc02: '0' }, { enterprise: { industryCode: 'C3963', inScope: true } })).not.toContain(
      'TM-CND-001',
    );
    expect(codes(base, { enterprise: { industryCode: 'I6513', inScope: true } })).not.toContain('TM-CND-001');
  });

  it('warns about R&D spend with no employees reported', () => {
    const { qd01: _, ...noEmployees } = base;
    expect(codes(noEmployees)).toEqual(expect.arrayContaining(['TM-REQ-001', 'TM-CND-002']));
    expect(codes({ ...noEmployees, qj20: '0' })).not.toContain('TM-CND-002');
  });

  it('refuses an enterprise outside the survey scope, and says nothing when scope is unknown', () => {
    expect(codes(base, { enterprise: { inScope: false } })).toEqual(['TM-SCP-001']);
    expect(codes(base, {})).toEqual([]);
  });

  describe('year-to-date against the previous accepted month', () => {
    const previousMonth = { period: '2026-02', revision: 2, values: { ...base, qc05_0: '1000' } };

    it('passes when unchanged and fires when lower', () => {
      expect(codes(base, { ...service, previousMonth })).not.toContain('TM-YTD-001');
      const result = evaluate({ ...base, qc05_0: '999.999' }, { ...service, previousMonth });
      const finding = result.findings.find((f) => f.ruleCode === 'TM-YTD-001');
      expect(finding).toMatchObject({
        severity: 'warning',
        indicators: ['qc05_0'],
        values: { qc05_0: '999.999', 'qc05_0@2026-02': '1000' },
      });
      expect(finding?.messageZh).toContain('第2版');
      expect(result.outcome).toBe('needs-explanation');
    });

    it('ignores net profit, which may fall', () => {
      expect(codes({ ...base, qc12: '-500' }, { ...service, previousMonth })).not.toContain('TM-YTD-001');
    });
  });

  describe('year on year', () => {
    const lastYear = (qc05_0: string) => ({ period: '2025-03', revision: 1, values: { ...base, qc05_0 } });

    it.each([
      ['3000', '2000', false], // +50% exactly
      ['3000', '1999.99', true], // +50.0005%: over, although it shows as 50% at two places
      ['1000', '2000', false], // −50% exactly
      ['1000', '2000.01', true],
      ['5000', '999.999', false], // last year's base is below the 1000 floor
    ])('revenue %s against last year %s → warning %s', (now, then, fires) => {
      const result = codes({ ...base, qc05_0: now, qc55: '0' }, { ...service, sameMonthLastYear: lastYear(then) });
      expect(result.includes('TM-YOY-001')).toBe(fires);
    });
  });

  it.each([
    ['100', '20', true], // employees fell 80% from a base of 100
    ['40', '5', false], // a base below 50 persons is too small for a percentage to mean much
    ['100', '150', false], // +50% exactly
  ])('headcount last year %s, now %s → warning %s', (then, now, fires) => {
    const sameMonthLastYear = { period: '2025-03', revision: 1, values: { ...base, qd01: then } };
    expect(codes({ ...base, qd01: now }, { ...service, sameMonthLastYear }).includes('TM-YOY-002')).toBe(fires);
  });

  it('compares December with the annual report', () => {
    const annual = {
      formId: 'torch-annual' as const,
      period: '2026',
      revision: 1,
      values: { qc05_0: '1000', qd01: '20', qj20: '80' },
    };
    expect(codes({ ...base, qc05_0: '1050' }, { ...service, otherForm: annual })).not.toContain('TM-ANN-001');
    expect(codes({ ...base, qc05_0: '1050.01' }, { ...service, otherForm: annual })).toContain('TM-ANN-001');
  });

  it('returns every problem of a filing at once', () => {
    const result = evaluate({ qc05_0: '100', qc55: '200', qd01: '1.5', qc13: '-1', qj55: '1', qj56: '3', qj20: '500' });
    expect(result.findings.map((f) => f.ruleCode).sort()).toEqual([
      'TM-INT-001',
      'TM-PAR-001',
      'TM-PAR-001',
      'TM-RAT-001',
      'TM-SGN-001',
    ]);
    expect(result.outcome).toBe('rejected');
  });

  describe('explanations', () => {
    const previousMonth = { period: '2026-02', revision: 1, values: { ...base, qc05_0: '2000' } };
    const context = { ...service, previousMonth };

    it('accepts a warning explained with a coded reason and specific text', () => {
      const result = evaluate(base, context, [
        {
          ruleCode: 'TM-YTD-001',
          indicator: 'qc05_0',
          reasonCode: 'RESTATEMENT',
          text: '2月多计一笔跨期收入1000千元，本月冲回',
        },
      ]);
      expect(result.outcome).toBe('accepted');
      expect(result.findings[0]?.explanation?.reasonCode).toBe('RESTATEMENT');
    });

    it.each(['核实无误', '核实无误。核实无误！', 'ok', '数据正常'])('refuses boilerplate %j', (text) => {
      expect(evaluate(base, context, [{ ruleCode: 'TM-YTD-001', reasonCode: 'OTHER', text }]).outcome).toBe(
        'needs-explanation',
      );
    });

    it('refuses an unknown reason code', () => {
      const explanation = {
        ruleCode: 'TM-YTD-001',
        reasonCode: 'BECAUSE',
        text: '2月多计一笔跨期收入1000千元，本月冲回',
      };
      expect(evaluate(base, context, [explanation]).outcome).toBe('needs-explanation');
    });

    it('cannot explain away an error', () => {
      const explanation = {
        ruleCode: 'TM-PAR-001',
        reasonCode: 'OTHER',
        text: '主营业务收入口径与营业收入不同，已经核对',
      };
      expect(evaluate({ ...base, qc55: '2000' }, service, [explanation]).outcome).toBe('rejected');
    });
  });

  it('takes severities from data: the same check can be an error in one rule set and a warning in another', () => {
    const strict: RuleSet = {
      ...ruleSetFor(form),
      rules: ruleSetFor(form).rules.map((rule) =>
        rule.code === 'TM-RAT-001' ? { ...rule, severity: 'error' as const } : rule,
      ),
    };
    const sut = new RuleEngine(form, strict);
    expect(sut.evaluate({ period: '2026-03', values: { ...base, qj20: '2000' } }, service).outcome).toBe('rejected');
    expect(evaluate({ ...base, qj20: '2000' }).outcome).toBe('needs-explanation');
  });
});
