import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { EnterpriseChanged, FilingValidated } from '@huoju/contracts';
import { formatDecimal, parseDecimal } from '@huoju/domain';
import {
  enterpriseChanged,
  eventually,
  generateRoster,
  inScopeOn,
  principals,
  publishEvents,
  testKafka,
} from '@huoju/testing';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

/**
 * Property: whatever the order, duplication and lateness of verdicts, every served aggregate ends equal —
 * to the last decimal — to an oracle computed independently from the final latest accepted revisions.
 */
const kafka = testKafka('aggregation-property');
const PARKS = ['PT', 'CN', 'HK'];
const pool = generateRoster({ size: 900, seed: 77 }).filter(
  (e) => PARKS.includes(e.parkCode) && inScopeOn(e, 'torch-monthly', '2026-01-01'),
);
const enterprises = PARKS.flatMap((park) => pool.filter((e) => e.parkCode === park).slice(0, 3));
// One enterprise moves from 普陀 to 长宁 on 1 Feb 2031: attribution follows the period's last day.
const mover = enterprises[0]!;
const roster: EnterpriseChanged[] = enterprises.map((e) =>
  e === mover
    ? enterpriseChanged(e, {
        memberships: [
          {
            parkCode: 'PT',
            subParkCode: e.subParkCode,
            carrierCode: null,
            validFrom: '2025-01-01',
            validTo: '2031-01-31',
          },
          { parkCode: 'CN', subParkCode: 'CN-E', carrierCode: null, validFrom: '2031-02-01', validTo: null },
        ],
      })
    : enterpriseChanged(e),
);

function parkOf(uscc: string, period: string): string {
  const end = `${period}-28`;
  const event = roster.find((r) => r.uscc === uscc)!;
  return event.memberships.find((m) => m.validFrom <= end && (m.validTo === null || m.validTo >= end))!.parkCode;
}

interface History {
  readonly uscc: string;
  readonly period: string;
  readonly filingId: string;
  /** Per revision: its values and the outcomes of its successive verdicts. */
  readonly revisions: {
    readonly values: { qc05_0: string; qd01: string };
    readonly outcomes: ('accepted' | 'needs-explanation' | 'rejected')[];
  }[];
}

const decimalArb = fc.bigInt({ min: 0n, max: 10_000_000_000n }).map((units) => formatDecimal(units * 1000n)); // up to 10 000 000 千元, 3 decimals
const outcomeArb = fc.constantFrom(
  'accepted' as const,
  'accepted' as const,
  'needs-explanation' as const,
  'rejected' as const,
);
const revisionArb = fc.record({
  values: fc.record({ qc05_0: decimalArb, qd01: fc.integer({ min: 0, max: 5000 }).map(String) }),
  outcomes: fc.array(outcomeArb, { minLength: 1, maxLength: 3 }),
});

function runArb(year: number) {
  const periods = [1, 2, 3].map((m) => `${year}-0${m}`);
  const keys = enterprises.flatMap((e) => periods.map((period) => ({ uscc: e.uscc, period })));
  return fc
    .record({
      histories: fc.tuple(
        ...keys.map(() => fc.option(fc.array(revisionArb, { minLength: 1, maxLength: 3 }), { freq: 4 })),
      ),
      duplicates: fc.array(fc.nat(), { maxLength: 15 }),
      order: fc.array(fc.nat(), { minLength: 200, maxLength: 200 }),
    })
    .map(({ histories, duplicates, order }) => {
      const built: History[] = [];
      histories.forEach((revisions, index) => {
        if (revisions) built.push({ ...keys[index]!, filingId: randomUUID(), revisions });
      });
      return { histories: built, duplicates, order, periods };
    });
}

function events(
  histories: readonly History[],
  duplicates: readonly number[],
  order: readonly number[],
): FilingValidated[] {
  const all: FilingValidated[] = [];
  for (const history of histories) {
    history.revisions.forEach((revision, index) => {
      revision.outcomes.forEach((outcome, verdict) => {
        all.push({
          filingId: history.filingId,
          revision: index + 1,
          attempt: 1,
          verdict: verdict + 1,
          reason: 'submitted',
          uscc: history.uscc,
          formId: 'torch-monthly',
          formVersion: '2026.1',
          ruleSetVersion: '2026.1',
          period: history.period,
          outcome,
          findings: [],
          values: revision.values,
          contentSha256: 'e'.repeat(64),
          receivedAt: '2031-04-01T00:00:00.000Z',
          validatedAt: '2031-04-01T00:00:01.000Z',
        });
      });
    });
  }
  for (const pick of duplicates) if (all.length > 0) all.push(all[pick % all.length]!);
  // A deterministic shuffle driven by the generated order: late arrivals and reordering across revisions.
  const shuffled = [...all];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = order[i % order.length]! % (i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled;
}

/** The oracle: final accepted values per enterprise and period, then sums per park and zone. */
function oracle(histories: readonly History[], periods: readonly string[]) {
  const accepted = new Map<string, { qc05_0: string; qd01: string }>();
  for (const history of histories) {
    for (let index = history.revisions.length - 1; index >= 0; index--) {
      const revision = history.revisions[index]!;
      if (revision.outcomes[revision.outcomes.length - 1] === 'accepted') {
        accepted.set(`${history.uscc}|${history.period}`, revision.values);
        break;
      }
    }
  }
  const expected = new Map<string, string | null>(); // `${period}|${groupBy}|${member}|${indicator}|${measure}` → value
  for (const [periodIndex, period] of periods.entries()) {
    const sums = new Map<string, { ytd: bigint; month: bigint; monthCount: number }>();
    for (const e of enterprises) {
      const now = accepted.get(`${e.uscc}|${period}`);
      if (!now) continue;
      const before = periodIndex === 0 ? undefined : accepted.get(`${e.uscc}|${periods[periodIndex - 1]}`);
      for (const indicator of ['qc05_0', 'qd01'] as const) {
        const ytd = parseDecimal(now[indicator]);
        const month =
          indicator === 'qd01' || periodIndex === 0 ? ytd : before ? ytd - parseDecimal(before[indicator]) : undefined;
        for (const member of [`park|${parkOf(e.uscc, period)}`, 'zone|ZJ']) {
          const key = `${member}|${indicator}`;
          const sum = sums.get(key) ?? { ytd: 0n, month: 0n, monthCount: 0 };
          sum.ytd += ytd;
          if (month !== undefined) {
            sum.month += month;
            sum.monthCount++;
          }
          sums.set(key, sum);
        }
      }
    }
    for (const [key, sum] of sums) {
      expected.set(`${period}|${key}|ytd`, formatDecimal(sum.ytd));
      expected.set(`${period}|${key}|month`, sum.monthCount > 0 ? formatDecimal(sum.month) : null);
    }
  }
  return expected;
}

describe('aggregate exactness (property-based, real Kafka and PostgreSQL)', () => {
  let aggregation: RunningAggregation;
  let year = 2031;

  beforeAll(async () => {
    aggregation = await startTestAggregation({ ROLLUP_DEBOUNCE_MS: '100' });
    await publishEvents(
      kafka,
      aggregation.namespace,
      'registry.enterprise-changed.v1',
      roster.map((payload) => ({ key: payload.uscc, payload })),
    );
  });

  afterAll(() => aggregation.stop());

  async function served(periods: readonly string[]): Promise<Map<string, string | null>> {
    const result = new Map<string, string | null>();
    for (const period of periods) {
      for (const groupBy of ['park', 'zone']) {
        for (const measure of ['ytd', 'month']) {
          const response = await aggregation.http.get<{
            rows: { member: string; indicator: string; value: string | null }[];
          }>(`/v1/aggregates?formId=torch-monthly&period=${period}&groupBy=${groupBy}&measure=${measure}`, {
            as: principals.commission,
          });
          for (const row of response.body.rows)
            result.set(`${period}|${groupBy}|${row.member}|${row.indicator}|${measure}`, row.value);
        }
      }
    }
    return result;
  }

  it('serves exactly what the final accepted revisions add up to', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1_000_000 }).chain(() => runArb(year++)),
        async ({ histories, duplicates, order, periods }) => {
          const stream = events(histories, duplicates, order);
          await publishEvents(
            kafka,
            aggregation.namespace,
            'filing.validated.v1',
            stream.map((payload) => ({ key: payload.uscc, payload })),
          );
          const expected = oracle(histories, periods);
          let last: Map<string, string | null> = new Map();
          await eventually(
            async () => {
              last = await served(periods);
              return (
                [...expected].every(([key, value]) => last.get(key) === value) &&
                [...last.keys()].every((key) => expected.has(key))
              );
            },
            45_000,
            250,
          ).catch(() => {
            const diff = [...new Set([...expected.keys(), ...last.keys()])].filter(
              (key) => expected.get(key) !== last.get(key),
            );
            throw new Error(
              `served aggregates differ from the oracle:\n${diff.map((k) => `${k}: served ${last.get(k)} expected ${expected.get(k)}`).join('\n')}`,
            );
          });
        },
      ),
      // No shrinking: each run waits on real services, and the diff in the error already names the cells.
      { numRuns: 6, seed: 20261123, endOnFailure: true },
    );
  }, 400_000);
});
