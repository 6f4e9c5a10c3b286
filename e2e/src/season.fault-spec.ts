import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import {
  formatDecimal,
  formVersionFor,
  indicatorMap,
  parseDecimal,
  parsePeriod,
  singleMonthValue,
  type Scaled,
} from '@huoju/domain';
import {
  Platform,
  ThrowawayKafka,
  ThrowawayPostgres,
  ThrowawayRedis,
  enterpriseBody,
  eventually,
  generateRoster,
  inScopeOn,
  principals,
  readTopic,
  type GeneratedEnterprise,
  type InstanceName,
  freePort,
  seededRandom,
  type JsonResponse,
} from '@huoju/testing';

/**
 * The filing season under faults (issue #17): two instances of every service on a broker, a PostgreSQL cluster
 * and a Redis of the test's own, while the broker is stopped and started, connections are terminated, the
 * database restarts, Redis is flushed and restarted and consumers are SIGKILLed. Afterwards every served figure
 * equals an oracle computed from what was filed, nothing is stuck or parked, and no client saw a 5xx.
 *
 * SEASON_ENTERPRISES (default 300 × 6 months + amendments ≈ 2,300 filings) and SEASON_SECONDS (the pace) make a
 * smaller season for development.
 */
const ENTERPRISES = Number(process.env.SEASON_ENTERPRISES ?? 300);
const SEASON_SECONDS = Number(process.env.SEASON_SECONDS ?? 300);
const PERIODS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
const MOVE_FROM = '2026-04-01';
const FORM = 'torch-monthly';
const INDICATORS = ['qc05_0', 'qc55', 'qd01', 'qj20'] as const;
type Values = Record<(typeof INDICATORS)[number], string>;

const season = seededRandom(20261201);
const random = () => season.next();
const pool = generateRoster({ size: Math.max(2000, ENTERPRISES * 4), seed: 1717 }).filter(
  (e) => inScopeOn(e, FORM, '2026-01-01') && inScopeOn(e, FORM, '2026-12-31') && !/^[BCD]/.test(e.industryCode),
);
const roster = pool.slice(0, ENTERPRISES);

interface Step {
  readonly kind: 'file' | 'move';
  readonly enterprise: GeneratedEnterprise;
  readonly period?: string;
  readonly values?: Values;
  readonly to?: { parkCode: string; subParkCode: string };
}

/**
 * Year-to-date figures that pass every rule whatever the order of arrival: month m is m·base plus a wobble
 * below base/2, so YTD never falls, even across amendments (which draw a new wobble).
 */
function valuesFor(base: bigint, month: number): Values {
  const wobble = BigInt(Math.floor(random() * Number(base / 2n)));
  const revenue = base * BigInt(month) + wobble; // in thousandths of 千元: money takes 3 decimals
  const thousandths = (value: bigint) => formatDecimal(value * 1000n);
  return {
    qc05_0: thousandths(revenue),
    qc55: thousandths((revenue * 9n) / 10n),
    qd01: String(20 + Math.floor(random() * 200)),
    qj20: thousandths(revenue / 20n),
  };
}

/** Each enterprise files its months in order, amends about a third of them later, and a few move park. */
function planSeason(): Step[] {
  const perEnterprise = roster.map((enterprise) => {
    const base = BigInt(100_000 + Math.floor(random() * 50_000_000)); // 100.000 … 50 100.000 千元 a month, scaled ×1000
    const steps: Step[] = PERIODS.map((period, index) => ({
      kind: 'file',
      enterprise,
      period,
      values: valuesFor(base, index + 1),
    }));
    for (const [index, period] of PERIODS.entries())
      if (random() < 0.34) steps.push({ kind: 'file', enterprise, period, values: valuesFor(base, index + 1) });
    return steps;
  });
  // Round-robin over the enterprises: one enterprise's steps are far apart, so they never race each other.
  const plan: Step[] = [];
  const longest = Math.max(...perEnterprise.map((s) => s.length));
  for (let round = 0; round < longest; round++)
    for (const steps of perEnterprise) if (steps[round]) plan.push(steps[round]!);
  const movers = roster.filter((_, index) => index % 25 === 7);
  movers.forEach((enterprise, index) => {
    const target = pool.find((e) => e.parkCode !== enterprise.parkCode)!;
    const at = Math.floor(((index + 1) / (movers.length + 1)) * plan.length);
    plan.splice(at, 0, {
      kind: 'move',
      enterprise,
      to: { parkCode: target.parkCode, subParkCode: target.subParkCode },
    });
  });
  return plan;
}

/** What was filed and accepted (last revision per enterprise and month) and where each enterprise belongs. */
class SeasonLedger {
  readonly latest = new Map<string, Values>(); // `${uscc}|${period}`
  readonly moves = new Map<string, string>(); // uscc → park from MOVE_FROM

  parkOf(enterprise: GeneratedEnterprise, period: string): string {
    const moved = this.moves.get(enterprise.uscc);
    return moved && `${period}-01` >= MOVE_FROM ? moved : enterprise.parkCode;
  }

  /** The oracle: per period, park and zone, indicator and measure, the exact sum of the latest accepted values. */
  expected(): Map<string, string | null> {
    const form = formVersionFor(FORM, PERIODS[0]!)!;
    const kinds = indicatorMap(form);
    const expected = new Map<string, string | null>();
    for (const period of PERIODS) {
      const month = parsePeriod(period, form.periodType).month!;
      const previous = month > 1 ? PERIODS[PERIODS.indexOf(period) - 1] : undefined;
      const sums = new Map<string, { ytd: Scaled; month: Scaled; monthCount: number }>();
      for (const enterprise of roster) {
        const now = this.latest.get(`${enterprise.uscc}|${period}`);
        if (!now) continue;
        const before = previous ? this.latest.get(`${enterprise.uscc}|${previous}`) : undefined;
        for (const indicator of INDICATORS) {
          const ytd = parseDecimal(now[indicator]);
          const single = singleMonthValue(
            kinds.get(indicator)!,
            month,
            ytd,
            before ? parseDecimal(before[indicator]) : undefined,
          );
          for (const member of [`park|${this.parkOf(enterprise, period)}`, 'zone|ZJ']) {
            const key = `${period}|${member}|${indicator}`;
            const sum = sums.get(key) ?? { ytd: 0n, month: 0n, monthCount: 0 };
            sum.ytd += ytd;
            if (single !== undefined) {
              sum.month += single;
              sum.monthCount++;
            }
            sums.set(key, sum);
          }
        }
      }
      for (const [key, sum] of sums) {
        expected.set(`${key}|ytd`, formatDecimal(sum.ytd));
        expected.set(`${key}|month`, sum.monthCount > 0 ? formatDecimal(sum.month) : null);
      }
    }
    return expected;
  }
}

/** Every answer any client got, by status: the season must never see a 5xx or a dropped connection. */
class ClientLog {
  readonly statuses = new Map<number, number>();
  readonly failures: string[] = [];

  record(what: string, status: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (status >= 500 || status <= 0) this.failures.push(`${new Date().toISOString()} ${what} → ${status}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stamp = (message: string) => console.log(`[season ${new Date().toISOString().slice(11, 23)}] ${message}`);

describe('a filing season through two instances of every service, under faults', () => {
  const started = Date.now();
  const broker = new ThrowawayKafka(Number(process.env.FAULT_SEASON_KAFKA_PORT ?? 19392));
  let postgres: ThrowawayPostgres;
  let redis: ThrowawayRedis;
  let platform: Platform;
  const ledger = new SeasonLedger();
  const clients = new ClientLog();
  const kafka = () => new Kafka({ clientId: 'season', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
  const intakes: InstanceName[] = ['intake', 'intake#2'];
  const aggregations: InstanceName[] = ['aggregation', 'aggregation#2'];

  async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    try {
      return (await client.query(query, params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const schema = (service: string) => `${service}_${platform.namespace}`;

  /** A client call that records its status; a network error counts as a failure (status -1). */
  async function call<T>(what: string, send: () => Promise<JsonResponse<T>>): Promise<JsonResponse<T> | undefined> {
    try {
      const response = await send();
      clients.record(what, response.status);
      return response;
    } catch (error) {
      clients.record(`${what} (${String(error)})`, -1);
      return undefined;
    }
  }

  beforeAll(async () => {
    postgres = new ThrowawayPostgres(await freePort());
    redis = new ThrowawayRedis(await freePort());
    broker.start();
    await postgres.start();
    await redis.start();
    platform = new Platform(
      { ROLLUP_DEBOUNCE_MS: '500', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info' },
      {
        infrastructure: { databaseUrl: postgres.url, kafkaBrokers: broker.brokers, redisUrl: redis.url },
        restartOnExit: true,
        readyTimeoutMs: 240_000,
      },
    );
    // First instances, then second ones: the second ones meet migrations and topics already there (and the locks).
    await platform.start(['intake', 'validation', 'aggregation', 'torch-export']);
    await platform.start(['intake#2', 'validation#2', 'aggregation#2', 'torch-export#2']);
    stamp(`8 instances ready after ${Math.round((Date.now() - started) / 1000)} s; namespace ${platform.namespace}`);
    for (const [index, enterprise] of roster.entries()) {
      const created = await platform
        .http(intakes[index % 2]!)
        .post('/v1/enterprises', { as: principals.admin, body: enterpriseBody(enterprise) });
      expect(created.status).toBe(201);
    }
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    broker.destroy();
    await redis?.stop();
    postgres?.destroy();
    stamp(`suite took ${Math.round((Date.now() - started) / 1000)} s`);
  }, 120_000);

  /** Files the season at a steady pace through both intakes, one step per enterprise at a time. */
  async function fileSeason(plan: readonly Step[], progress: { done: number }): Promise<void> {
    const interval = (SEASON_SECONDS * 1000) / plan.length;
    const t0 = Date.now();
    let next = 0;
    const busy = new Set<string>();
    const worker = async () => {
      for (;;) {
        const index = next++;
        const step = plan[index];
        if (!step) return;
        await sleep(Math.max(0, t0 + index * interval - Date.now()));
        while (busy.has(step.enterprise.uscc)) await sleep(20);
        busy.add(step.enterprise.uscc);
        try {
          await perform(step, intakes[index % 2]!);
        } finally {
          busy.delete(step.enterprise.uscc);
          progress.done++;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }

  async function perform(step: Step, instance: InstanceName): Promise<void> {
    const { uscc } = step.enterprise;
    if (step.kind === 'move') {
      const moved = await call(`move ${uscc}`, () =>
        platform.http(instance).post(`/v1/enterprises/${uscc}/memberships`, {
          as: principals.admin,
          body: { ...step.to!, validFrom: MOVE_FROM },
        }),
      );
      expect(moved?.status).toBe(200);
      ledger.moves.set(uscc, step.to!.parkCode);
      return;
    }
    // A retry after a failed answer reuses the idempotency key, so the ledger knows what was stored.
    const key = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const receipt = await call(`file ${uscc} ${step.period} via ${instance}`, () =>
        platform.http(attempt % 2 === 1 ? instance : intakes.find((i) => i !== instance)!).post('/v1/filings', {
          as: principals.enterprise(uscc),
          headers: { 'idempotency-key': key },
          body: { formId: FORM, period: step.period, values: step.values },
        }),
      );
      if (receipt?.status === 202) break;
      if (receipt && receipt.status < 500) throw new Error(`filing refused: ${JSON.stringify(receipt.body)}`);
      await sleep(500);
    }
    ledger.latest.set(`${uscc}|${step.period}`, step.values!);
  }

  /** Reads figures from both aggregation instances all season long, as the park teams would. */
  async function readFiguresUntil(done: () => boolean): Promise<void> {
    let turn = 0;
    while (!done()) {
      // Like a load balancer: only ready instances get requests (one is SIGKILLed for a while); a request
      // cut by the kill itself goes to the other instance, as the balancer would retry a refused connection.
      const running = aggregations.filter((i) => platform.isReady(i));
      const instance = running[turn++ % running.length];
      const path = `/v1/aggregates?formId=${FORM}&period=${PERIODS[turn % PERIODS.length]}&groupBy=park`;
      if (instance) {
        const killed = await platform
          .http(instance)
          .get(path, { as: principals.commission })
          .then((response) => {
            clients.record(`aggregates via ${instance}`, response.status);
            return false;
          })
          .catch((error: unknown) => {
            if (!platform.isReady(instance)) return true;
            clients.record(`aggregates via ${instance} (${String(error)})`, -1);
            return false;
          });
        const other = aggregations.find((i) => i !== instance)!;
        if (killed)
          await call(`aggregates via ${other}`, () => platform.http(other).get(path, { as: principals.commission }));
      }
      await sleep(400);
    }
  }

  async function activeRollups(): Promise<number> {
    const keys = await redis.command((r) => r.keys(`huoju:${platform.namespace}:*:active`));
    let active = 0;
    for (const key of keys) active += await redis.command((r) => r.llen(key));
    return active;
  }

  async function unpublishedOutbox(): Promise<number> {
    const [row] = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM "${schema('intake')}".outbox WHERE published_at IS NULL`,
    );
    return Number(row!.n);
  }

  /** The faults, one after another, while the season is being filed. */
  async function injectFaults(progress: { done: number }, total: number): Promise<void> {
    const until = async (share: number) => eventually(() => progress.done >= share * total, 600_000, 50);
    const bounce = async (label: string, offsetMs: number) => {
      // "Different moments of the relay's work": right after rows were written, mid-batch, while idle.
      await eventually(async () => (await unpublishedOutbox()) > 0, 10_000, 25).catch(() => undefined);
      await sleep(offsetMs);
      stamp(`broker stop (${label}, +${offsetMs} ms)`);
      await broker.stopFor(20_000);
      stamp('broker back');
    };
    await until(0.04);
    await bounce('1/5', 0);
    await until(0.14);
    stamp('pg_terminate_backend on every service connection');
    const [terminated] = await sql<{ n: string }>(
      `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    stamp(`terminated ${terminated!.n} connections`);
    await sleep(3000);
    await bounce('2/5', 350);
    await until(0.3);
    await eventually(async () => (await activeRollups()) > 0, 30_000, 20).catch(() => undefined);
    stamp(`redis FLUSHALL (${await activeRollups()} roll-ups active)`);
    await redis.flushAll();
    await sleep(3000);
    await until(0.36);
    stamp('SIGKILL validation#1 mid-batch');
    await platform.kill('validation');
    await sleep(2000);
    await platform.startService('validation');
    stamp('validation#1 back');
    await bounce('3/5', 1300);
    await until(0.5);
    stamp('PostgreSQL restart');
    await postgres.restart();
    stamp('PostgreSQL back');
    await sleep(4000);
    await until(0.56);
    stamp('SIGKILL aggregation#2 mid-batch');
    await platform.kill('aggregation#2');
    await sleep(2000);
    await platform.startService('aggregation#2');
    stamp('aggregation#2 back');
    await bounce('4/5', 3100);
    await until(0.72);
    stamp('redis restart');
    await redis.restart();
    await sleep(3000);
    await until(0.8);
    await bounce('5/5', 120);
  }

  it('ends with every figure equal to the oracle, nothing stuck, nothing parked and no 5xx', async () => {
    const plan = planSeason();
    const filings = plan.filter((s) => s.kind === 'file').length;
    expect(filings).toBeGreaterThanOrEqual(Math.min(2000, ENTERPRISES * 7));
    stamp(`season: ${roster.length} enterprises, ${filings} filings, ${plan.length - filings} moves`);
    const progress = { done: 0 };
    // Promise.all fails at the first refusal, instead of the faults waiting for progress that never comes.
    await Promise.all([
      fileSeason(plan, progress),
      readFiguresUntil(() => progress.done >= plan.length),
      injectFaults(progress, plan.length),
    ]);
    stamp(`season filed after ${Math.round((Date.now() - started) / 1000)} s; settling`);

    // Nothing stuck: every revision reaches its final verdict (every value filed is clean: accepted).
    await eventually(
      async () => {
        const [row] = await sql<{ open: string }>(
          `SELECT (SELECT count(*) FROM "${schema('intake')}".filing_revision WHERE status IN ('received', 'validating'))
                + (SELECT count(*) FROM "${schema('intake')}".filing WHERE status <> 'accepted') AS open`,
        );
        return Number(row!.open) === 0;
      },
      180_000,
      1000,
    ).catch(async () => {
      const rows = await sql(
        `SELECT 'revision' AS of, status, count(*) FROM "${schema('intake')}".filing_revision GROUP BY status
         UNION ALL SELECT 'filing', status, count(*) FROM "${schema('intake')}".filing GROUP BY status`,
      );
      throw new Error(`filings not final: ${JSON.stringify(rows)}`);
    });
    const stuck = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM "${schema('intake')}".filing WHERE status IN ('received', 'validating')`,
    );
    expect(Number(stuck[0]!.n)).toBe(0);
    const [revisions] = await sql<{ n: string }>(`SELECT count(*) AS n FROM "${schema('intake')}".filing_revision`);
    expect(Number(revisions!.n)).toBe(filings);

    // Exactly one verdict per revision, in validation's own record.
    const verdicts = await sql<{ filing_id: string; revision: number; n: string }>(
      `SELECT filing_id, revision, count(*) AS n FROM "${schema('validation')}".verdict GROUP BY filing_id, revision`,
    );
    expect(verdicts).toHaveLength(filings);
    expect(verdicts.filter((v) => Number(v.n) !== 1)).toEqual([]);

    // Every served figure, from either aggregation instance, equals the oracle to the last decimal.
    const expected = ledger.expected();
    for (const instance of aggregations) {
      let served = new Map<string, string | null>();
      await eventually(
        async () => {
          served = await servedFigures(instance);
          return [...expected].every(([key, value]) => served.get(key) === value);
        },
        180_000,
        2000,
      ).catch(() => {
        const wrong = [...expected.keys()].filter((key) => expected.get(key) !== served.get(key));
        throw new Error(
          `${instance}: ${wrong.length}/${expected.size} figures differ from the oracle:\n` +
            wrong
              .slice(0, 40)
              .map((k) => `${k}: served ${served.get(k)} expected ${expected.get(k)}`)
              .join('\n'),
        );
      });
      const extra = [...served.keys()].filter((key) => !expected.has(key) && served.get(key) !== null);
      expect(extra).toEqual([]);
    }

    // Transient faults never park: every dead-letter topic is empty.
    const admin = kafka().admin();
    await admin.connect();
    try {
      const dlqs = (await admin.listTopics()).filter(
        (t) => t.startsWith(`${platform.namespace}.`) && t.endsWith('.dlq'),
      );
      const depths = await Promise.all(
        dlqs.map(async (topic) => {
          const offsets = await admin.fetchTopicOffsets(topic);
          return [topic, offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0)] as const;
        }),
      );
      expect(depths.filter(([, depth]) => depth > 0)).toEqual([]);
    } finally {
      await admin.disconnect();
    }

    // The season is filed after its deadlines: each reminder is recorded once and published under one event id.
    const reminders = await sql<{ uscc: string; period: string; kind: string; n: string; events: string }>(
      `SELECT uscc, period, kind, count(*) AS n, count(DISTINCT event_id) AS events
         FROM "${schema('aggregation')}".compliance_reminder GROUP BY uscc, period, kind`,
    );
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.filter((r) => r.n !== '1' || r.events !== '1')).toEqual([]);
    // …and what reached Kafka is that one event per reminder (a relay may repeat it: the same id).
    const sent = await sql<{ uscc: string; period: string; kind: string; event_id: string }>(
      `SELECT uscc, period, kind, event_id FROM "${schema('aggregation')}".compliance_reminder`,
    );
    for (const kind of ['due-soon', 'overdue', 'late-received']) {
      const rows = sent.filter((r) => r.kind === kind);
      if (rows.length === 0) continue;
      const published = new Map<string, Set<string>>(); // `${uscc}|${period}` → event ids
      await readTopic(
        kafka(),
        `${platform.namespace}.filing.${kind}.v1`,
        (messages) => {
          published.clear();
          for (const message of messages) {
            const envelope = JSON.parse(message.value!) as { id: string; payload: { uscc: string; period: string } };
            const key = `${envelope.payload.uscc}|${envelope.payload.period}`;
            published.set(key, (published.get(key) ?? new Set()).add(envelope.id));
          }
          return published.size >= rows.length;
        },
        30_000,
      );
      expect(rows.filter((r) => !published.get(`${r.uscc}|${r.period}`)?.has(r.event_id))).toEqual([]);
      expect([...published].filter(([, ids]) => ids.size !== 1)).toEqual([]);
    }

    // No client ever saw a 5xx or a dropped connection.
    stamp(`client statuses: ${JSON.stringify(Object.fromEntries(clients.statuses))}`);
    stamp(`instances that exited by themselves: ${JSON.stringify(platform.exits)}`);
    expect(clients.failures).toEqual([]);
    stamp(`season test done after ${Math.round((Date.now() - started) / 1000)} s`);
  }, 1_200_000);

  async function servedFigures(instance: InstanceName): Promise<Map<string, string | null>> {
    const served = new Map<string, string | null>();
    for (const period of PERIODS) {
      for (const groupBy of ['park', 'zone']) {
        for (const measure of ['ytd', 'month']) {
          const response = await call(`final aggregates via ${instance}`, () =>
            platform.http(instance).get<{
              rows: { member: string; indicator: string; value: string | null }[];
            }>(`/v1/aggregates?formId=${FORM}&period=${period}&groupBy=${groupBy}&measure=${measure}`, { as: principals.commission }),
          );
          for (const row of response?.body.rows ?? [])
            if ((INDICATORS as readonly string[]).includes(row.indicator))
              served.set(`${period}|${groupBy}|${row.member}|${row.indicator}|${measure}`, row.value);
        }
      }
    }
    return served;
  }
});
