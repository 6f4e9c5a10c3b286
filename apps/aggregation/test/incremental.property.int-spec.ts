import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { EnterpriseChanged, FilingValidated } from '@huoju/contracts';
import { formatDecimal } from '@huoju/domain';
import {
  enterpriseChanged,
  eventually,
  generateRoster,
  inScopeOn,
  principals,
  publishEvents,
  sqlQuery,
  testKafka,
} from '@huoju/testing';
import { startTestAggregation, type RunningAggregation } from './aggregation.harness';

/**
 * Property: the figures kept current by deltas in the facts transaction equal a full recomputation — at
 * every roll-up (each one recomputes under the same locks and counts every difference as a defect), over
 * random histories: revisions, verdicts in any order, duplicates, enterprises moving between parks
 * mid-stream, and the whole stream replayed. Months and last year's period are both filed, so the
 * single-month and comparable year-on-year inputs are exercised too.
 */
const kafka = testKafka('aggregation-incremental');
const PARKS = ['PT', 'CN', 'HK'];
const pool = generateRoster({ size: 900, seed: 91 }).filter(
  (e) => PARKS.includes(e.parkCode) && inScopeOn(e, 'torch-monthly', '2026-01-01'),
);
const enterprises = PARKS.flatMap((park) => pool.filter((e) => e.parkCode === park).slice(0, 3));

interface History {
  readonly uscc: string;
  readonly period: string;
  readonly filingId: string;
  readonly revisions: {
    readonly values: { qc05_0: string; qd01: string; qj55: string };
    readonly outcomes: ('accepted' | 'needs-explanation' | 'rejected')[];
  }[];
}

const decimalArb = fc.bigInt({ min: -1_000_000n, max: 10_000_000_000n }).map((units) => formatDecimal(units));
const revisionArb = fc.record({
  values: fc.record({
    qc05_0: decimalArb,
    qd01: fc.integer({ min: 0, max: 5000 }).map(String),
    qj55: decimalArb,
  }),
  outcomes: fc.array(
    fc.constantFrom('accepted' as const, 'accepted' as const, 'needs-explanation' as const, 'rejected' as const),
    {
      minLength: 1,
      maxLength: 3,
    },
  ),
});

function runArb(year: number) {
  // Last year's January and March, then this year's first quarter: month and year-on-year inputs.
  const periods = [`${year - 1}-01`, `${year - 1}-03`, `${year}-01`, `${year}-02`, `${year}-03`];
  const keys = enterprises.flatMap((e) => periods.map((period) => ({ uscc: e.uscc, period })));
  return fc
    .record({
      histories: fc.tuple(
        ...keys.map(() => fc.option(fc.array(revisionArb, { minLength: 1, maxLength: 3 }), { freq: 3 })),
      ),
      duplicates: fc.array(fc.nat(), { maxLength: 15 }),
      order: fc.array(fc.nat(), { minLength: 200, maxLength: 200 }),
      // Who moves, to which park, from which month of this year, and after how much of the stream.
      moves: fc.array(
        fc.record({
          enterprise: fc.nat({ max: enterprises.length - 1 }),
          toPark: fc.constantFrom(...PARKS),
          fromMonth: fc.integer({ min: 1, max: 3 }),
          after: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        { maxLength: 3 },
      ),
      replay: fc.boolean(),
    })
    .map(({ histories, ...rest }) => {
      const built: History[] = [];
      histories.forEach((revisions, index) => {
        if (revisions) built.push({ ...keys[index]!, filingId: randomUUID(), revisions });
      });
      return { histories: built, periods, year, ...rest };
    });
}

function verdicts(histories: readonly History[], duplicates: readonly number[], order: readonly number[]) {
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
          contentSha256: 'f'.repeat(64),
          receivedAt: '2031-04-01T00:00:00.000Z',
          validatedAt: '2031-04-01T00:00:01.000Z',
        });
      });
    });
  }
  for (const pick of duplicates) if (all.length > 0) all.push(all[pick % all.length]!);
  for (let i = all.length - 1; i > 0; i--) {
    const j = order[i % order.length]! % (i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

describe('incrementally maintained figures (property-based, real Kafka and PostgreSQL)', () => {
  let aggregation: RunningAggregation;
  let schema: string;
  let registryVersion = 1;
  let year = 2041;

  beforeAll(async () => {
    // Each run files its own far-future years (so runs cannot see each other's figures); the service's clock
    // stands after them, since a roll-up of a period that has not begun is refused.
    aggregation = await startTestAggregation({
      ROLLUP_DEBOUNCE_MS: '300',
      HUOJU_CLOCK_START: '2070-06-01T00:00:00.000Z',
    });
    schema = `aggregation_${aggregation.namespace}`;
    await publishEvents(
      kafka,
      aggregation.namespace,
      'registry.enterprise-changed.v1',
      enterprises.map((e) => ({ key: e.uscc, payload: enterpriseChanged(e, { registryVersion }) })),
    );
  });

  afterAll(() => aggregation.stop());

  function moved(move: { enterprise: number; toPark: string; fromMonth: number }, year: number): EnterpriseChanged {
    const e = enterprises[move.enterprise]!;
    const from = `${year}-0${move.fromMonth}-01`;
    const dayBefore = new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    return enterpriseChanged(e, {
      registryVersion,
      memberships: [
        {
          parkCode: e.parkCode,
          subParkCode: e.subParkCode,
          carrierCode: null,
          validFrom: '2025-01-01',
          validTo: dayBefore,
        },
        {
          parkCode: move.toPark,
          subParkCode: pool.find((other) => other.parkCode === move.toPark)!.subParkCode,
          carrierCode: null,
          validFrom: from,
          validTo: null,
        },
      ],
    });
  }

  async function rollUpAll(periods: readonly string[]): Promise<void> {
    const ids: string[] = [];
    for (const period of periods) {
      const response = await aggregation.http.post<{ jobs: { id: string }[] }>('/v1/rollups', {
        as: principals.commission,
        body: { park: 'all', formId: 'torch-monthly', period },
      });
      ids.push(...response.body.jobs.map((job) => job.id));
    }
    await eventually(async () => {
      const rows = await sqlQuery<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema}.rollup_run WHERE id = ANY($1) AND state IN ('completed', 'failed')`,
        [ids],
      );
      return Number(rows[0]!.n) === ids.length;
    }, 60_000);
  }

  it('equal a full recomputation at every roll-up', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1_000_000 }).chain(() => runArb((year += 3))),
        async ({ histories, duplicates, order, moves, replay, periods, year: runYear }) => {
          const stream = verdicts(histories, duplicates, order);
          const moveEvents = moves.map((move) => {
            registryVersion++;
            return { at: Math.floor(move.after * stream.length), event: moved(move, runYear) };
          });
          // The verdicts in slices, the moves published between them (two topics: any interleaving).
          let start = 0;
          for (const cut of [...new Set([...moveEvents.map((m) => m.at), stream.length])].sort((a, b) => a - b)) {
            await publishEvents(
              kafka,
              aggregation.namespace,
              'filing.validated.v1',
              stream.slice(start, cut).map((payload) => ({ key: payload.uscc, payload })),
            );
            start = cut;
            const movesHere = moveEvents.filter((m) => m.at === cut);
            if (movesHere.length > 0)
              await publishEvents(
                kafka,
                aggregation.namespace,
                'registry.enterprise-changed.v1',
                movesHere.map((m) => ({ key: m.event.uscc, payload: m.event })),
              );
          }
          if (replay)
            await publishEvents(
              kafka,
              aggregation.namespace,
              'filing.validated.v1',
              stream.map((payload) => ({ key: payload.uscc, payload })),
            );
          const distinct = new Set(stream.map((v) => `${v.filingId}:${v.revision}:${v.verdict}`)).size;
          const lastMove = moveEvents.at(-1)?.event;
          await eventually(async () => {
            const [verdictRows] = await sqlQuery<{ n: string }>(
              `SELECT count(*) AS n FROM ${schema}.verdict WHERE period = ANY($1)`,
              [periods],
            );
            const moveSeen =
              !lastMove ||
              (
                await sqlQuery(`SELECT 1 FROM ${schema}.roster_enterprise WHERE uscc = $1 AND registry_version >= $2`, [
                  lastMove.uscc,
                  lastMove.registryVersion,
                ])
              ).length > 0;
            return Number(verdictRows!.n) === distinct && moveSeen;
          }, 60_000);
          // Each roll-up recomputes every figure, completeness count and input, and counts what differs.
          await rollUpAll(periods);
          const runs = await sqlQuery<{
            id: string;
            period: string;
            state: string;
            defects: number | null;
            error: string | null;
          }>(
            `SELECT id, period, state, defects, error FROM ${schema}.rollup_run WHERE state <> 'running' ORDER BY started_at`,
          );
          expect(runs.filter((run) => run.state !== 'completed')).toEqual([]);
          expect(runs.filter((run) => (run.defects ?? 0) > 0)).toEqual([]);
          const [served] = await sqlQuery<{ n: string }>(
            `SELECT count(*) AS n FROM ${schema}.figure WHERE period = ANY($1) AND enterprises > 0`,
            [periods],
          );
          expect(Number(served!.n)).toBeGreaterThan(histories.length > 0 ? 0 : -1);
        },
      ),
      { numRuns: 5, seed: 20261201, endOnFailure: true },
    );
  }, 600_000);
});
