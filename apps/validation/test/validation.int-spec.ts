import { formVersionFor, ruleSetFor, type FormVersion, type RuleSet } from '@huoju/domain';
import {
  enterpriseChanged,
  filingSubmitted,
  generateRoster,
  inScopeOn,
  publishEvents,
  readEvents,
  sqlQuery,
  testKafka,
  testNamespace,
  cleanUpNamespace,
} from '@huoju/testing';
import { startTestValidation, type RunningValidation } from './validation.harness';

const kafka = testKafka('validation-test');
// Service-sector enterprises filing monthly all year: industrial output (required of B/C/D) stays out of these checks.
const roster = generateRoster({ size: 80, seed: 5 }).filter(
  (e) =>
    inScopeOn(e, 'torch-monthly', '2026-01-01') &&
    inScopeOn(e, 'torch-monthly', '2026-12-31') &&
    !/^[BCD]/.test(e.industryCode),
);
const clean = { qc05_0: '1000', qc55: '900', qd01: '20', qj20: '80' };

describe('validation service', () => {
  const namespace = testNamespace('validation');
  let validation: RunningValidation;

  beforeAll(async () => {
    validation = await startTestValidation(namespace);
    await publishEvents(
      kafka,
      namespace,
      'registry.enterprise-changed.v1',
      roster.map((e) => ({ key: e.uscc, payload: enterpriseChanged(e) })),
    );
  });

  afterAll(() => validation.stop());

  it('publishes every finding of a filing at once', async () => {
    const filing = filingSubmitted(roster[0]!.uscc, '2026-08', {
      qc05_0: '100',
      qc55: '200',
      qd01: '20',
      qc13: '-1',
      qj20: '500',
      qj55: '1',
      qj56: '3',
    });
    await publishEvents(kafka, namespace, 'filing.submitted.v1', [{ key: filing.uscc, payload: filing }]);
    const events = await readEvents(kafka, namespace, 'filing.validated.v1', (all) =>
      all.some((e) => e.payload.filingId === filing.filingId),
    );
    const mine = events.find((e) => e.payload.filingId === filing.filingId)!;
    expect(mine.payload.outcome).toBe('rejected');
    expect(mine.payload.findings.map((f) => f.ruleCode).sort()).toEqual([
      'TM-PAR-001',
      'TM-PAR-001',
      'TM-RAT-001',
      'TM-SGN-001',
    ]);
  });

  it('flags a year-to-date decrease against the previous accepted month, and uses the amended month once amended', async () => {
    const uscc = roster[1]!.uscc;
    const august = filingSubmitted(uscc, '2026-08', { ...clean, qc05_0: '1000' });
    await publishEvents(kafka, namespace, 'filing.submitted.v1', [{ key: uscc, payload: august }]);
    await readEvents(kafka, namespace, 'filing.validated.v1', (events) =>
      events.some((e) => e.payload.filingId === august.filingId),
    );

    const september = filingSubmitted(uscc, '2026-09', { ...clean, qc05_0: '900' });
    await publishEvents(kafka, namespace, 'filing.submitted.v1', [{ key: uscc, payload: september }]);
    const first = (
      await readEvents(kafka, namespace, 'filing.validated.v1', (events) =>
        events.some((e) => e.payload.filingId === september.filingId),
      )
    ).find((e) => e.payload.filingId === september.filingId)!;
    expect(first.payload.outcome).toBe('needs-explanation');
    expect(first.payload.findings.find((f) => f.ruleCode === 'TM-YTD-001')?.values).toEqual({
      qc05_0: '900',
      'qc05_0@2026-08': '1000',
    });

    // The enterprise amends August down to 850; September, filed again, now passes against the amended value.
    const augustAmended = filingSubmitted(
      uscc,
      '2026-08',
      { ...clean, qc05_0: '850', qc55: '800' },
      { filingId: august.filingId, revision: 2 },
    );
    const septemberAgain = filingSubmitted(
      uscc,
      '2026-09',
      { ...clean, qc05_0: '900' },
      { filingId: september.filingId, revision: 2 },
    );
    await publishEvents(kafka, namespace, 'filing.submitted.v1', [
      { key: uscc, payload: augustAmended },
      { key: uscc, payload: septemberAgain },
    ]);
    const events = await readEvents(kafka, namespace, 'filing.validated.v1', (all) =>
      all.some((e) => e.payload.filingId === september.filingId && e.payload.revision === 2),
    );
    const second = events.find((e) => e.payload.filingId === september.filingId && e.payload.revision === 2)!;
    expect(second.payload.findings).toEqual([]);
    expect(second.payload.outcome).toBe('accepted');
  });

  it('applies each submitted event once, however often it is delivered', async () => {
    const filing = filingSubmitted(roster[2]!.uscc, '2026-08', clean);
    const [envelope] = await publishEvents(kafka, namespace, 'filing.submitted.v1', [
      { key: filing.uscc, payload: filing },
    ]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: `${namespace}.filing.submitted.v1`,
      messages: [
        { key: filing.uscc, value: JSON.stringify(envelope) },
        { key: filing.uscc, value: JSON.stringify(envelope) },
      ],
    });
    await producer.disconnect();
    const marker = filingSubmitted(roster[2]!.uscc, '2026-09', clean);
    await publishEvents(kafka, namespace, 'filing.submitted.v1', [{ key: marker.uscc, payload: marker }]);
    const events = await readEvents(kafka, namespace, 'filing.validated.v1', (all) =>
      all.some((e) => e.payload.filingId === marker.filingId),
    );
    expect(events.filter((e) => e.payload.filingId === filing.filingId)).toHaveLength(1);
    const rows = await sqlQuery<{ n: string }>(
      `SELECT count(*) AS n FROM validation_${namespace}.verdict WHERE filing_id = $1`,
      [filing.filingId],
    );
    expect(Number(rows[0]!.n)).toBe(1);
  });
});

describe('re-validation after a rule change', () => {
  const namespace = testNamespace('revalidate');
  const form = formVersionFor('torch-monthly', '2026-08') as FormVersion;

  afterAll(() => cleanUpNamespace(namespace, ['validation']));

  it('re-evaluates open-period filings and publishes only the changed outcomes', async () => {
    const first = await startTestValidation(namespace);
    const filings = [
      filingSubmitted(roster[3]!.uscc, '2026-09', { ...clean, qj20: '1500' }), // R&D 150% of revenue: warning today
      filingSubmitted(roster[4]!.uscc, '2026-09', { ...clean, qj20: '3000' }), // 300%: still a warning under the new limit
      filingSubmitted(roster[5]!.uscc, '2026-09', clean), // clean either way
    ];
    await publishEvents(
      kafka,
      namespace,
      'registry.enterprise-changed.v1',
      roster.slice(3, 6).map((e) => ({ key: e.uscc, payload: enterpriseChanged(e) })),
    );
    await publishEvents(
      kafka,
      namespace,
      'filing.submitted.v1',
      filings.map((f) => ({ key: f.uscc, payload: f })),
    );
    const before = await readEvents(kafka, namespace, 'filing.validated.v1', (events) => events.length >= 3);
    const outcomeOf = (filingId: string) => before.find((e) => e.payload.filingId === filingId)?.payload.outcome;
    expect(filings.map((f) => outcomeOf(f.filingId))).toEqual(['needs-explanation', 'needs-explanation', 'accepted']);
    await first.stop({ keepData: true });

    const relaxed: RuleSet = {
      ...ruleSetFor(form),
      version: '2026.2',
      rules: ruleSetFor(form).rules.map((rule) =>
        rule.code === 'TM-RAT-001' && rule.check.kind === 'ratio-bounds'
          ? { ...rule, check: { ...rule.check, maxPercent: '200' } }
          : rule,
      ),
    };
    const second = await startTestValidation(namespace, [relaxed]);
    try {
      const after = await readEvents(kafka, namespace, 'filing.validated.v1', (events) => events.length >= 4);
      const changed = after.filter((e) => e.payload.reason === 'rule-set-changed');
      expect(changed).toHaveLength(1);
      expect(changed[0]!.payload).toMatchObject({
        filingId: filings[0]!.filingId,
        outcome: 'accepted',
        previousOutcome: 'needs-explanation',
        reason: 'rule-set-changed',
        ruleSetVersion: '2026.2',
        verdict: 2,
      });
      // Nothing else follows: give the relay a moment and count again.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(
        await readEvents(kafka, namespace, 'filing.validated.v1', (events) => events.length >= 5, 3000),
      ).toHaveLength(4);
    } finally {
      await second.stop({ keepData: true });
    }
  });
});
