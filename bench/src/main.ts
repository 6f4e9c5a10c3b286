import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { createEnvelope } from '@huoju/contracts';
import { engineFor, formVersionFor, latestFormVersion, monthPeriod, parsePeriod, periodBounds } from '@huoju/domain';
import {
  Platform,
  REPOSITORY_ROOT,
  demoValues,
  eventually,
  filingSubmitted,
  generateRoster,
  inScopeOn,
  principals,
  testTokens,
  testKafka,
  testNamespace,
  type GeneratedEnterprise,
  type ServiceName,
} from '@huoju/testing';
import { drive, driveOpenLoop, percentile } from './load';
import { machineCpu, pidsOf, rssBytes, sampleCpu, samplePeakRss, type ProcessGroup } from './processes';
import { timeByPackage, topFunctions } from './profile';
import {
  bareFastify,
  benchDatabaseUrl,
  bullmqNoop,
  filingTransactions,
  pipelineFloor,
  kafkaLimits,
  rawWriters,
  type Rate,
} from './raw-limits';
import { markdownTable, megabytes, ratioLine, round, type Comparison } from './report';
import { rosterCsv } from './roster-csv';
import { precreateTopics } from './topics';
import { VisibilityWatcher } from './visibility';

interface Options {
  enterprises: number;
  months: number;
  concurrency: number;
  amendShare: number;
  warnShare: number;
  exportScale: number[];
  profile: boolean;
  /** Pipeline only: skip the raw limits and the writer runs (for trying changes). */
  quick: boolean;
  /** Extra service environment, e.g. --env=ROLLUP_DEBOUNCE_MS=5000. */
  env: Record<string, string>;
}

function options(): Options {
  const arg = (name: string, fallback: number) => {
    const index = process.argv.indexOf(`--${name}`);
    return index >= 0 ? Number(process.argv[index + 1]) : fallback;
  };
  return {
    enterprises: arg('enterprises', 25_000),
    months: arg('months', 1),
    concurrency: arg('concurrency', 32),
    amendShare: arg('amend-share', 0.05),
    warnShare: arg('warn-share', 0.03),
    exportScale: [25_000, 250_000],
    profile: !process.argv.includes('--no-profile'),
    quick: process.argv.includes('--quick'),
    env: Object.fromEntries(
      process.argv.filter((a) => a.startsWith('--env=')).map((a) => a.slice(6).split('=') as [string, string]),
    ),
  };
}

const SERVICES: ServiceName[] = ['intake', 'validation', 'aggregation', 'torch-export'];
const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main(): Promise<void> {
  const opts = options();
  const started = new Date();
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const resultsDir = path.join(REPOSITORY_ROOT, 'bench/results');
  const profileDir = path.join(resultsDir, 'profiles', stamp);
  mkdirSync(profileDir, { recursive: true });
  await ensureDatabase();

  // The season: the last `months` months of 2026 up to September, filed from 10 October (on time).
  const months = Array.from({ length: opts.months }, (_, i) => monthPeriod(2026, 9 - opts.months + 1 + i));
  const clockStart = '2026-10-10T01:00:00.000Z';
  const roster = generateRoster({ size: opts.enterprises, seed: 2026 });
  const sample = roster.find((e) => inScopeOn(e, 'torch-monthly', '2026-09-30'))!;
  const body = JSON.stringify({ formId: 'torch-monthly', period: '2026-09', values: demoValues(sample, 9) });
  const envelope = JSON.stringify(
    createEnvelope('filing.submitted.v1', sample.uscc, filingSubmitted(sample.uscc, '2026-09', demoValues(sample, 9))),
  );
  log(
    `season: ${roster.length} enterprises, months ${months.map((m) => m.text).join(', ')}, concurrency ${opts.concurrency}; event size ${envelope.length} bytes`,
  );

  // ---- raw limits, same machine, same run ----
  const none: Rate = { perSecond: NaN, count: 0, seconds: 0 };
  log('raw limit: bare Fastify POST');
  const rawHttp = opts.quick ? none : await bareFastify(body, opts.concurrency, 10_000);
  log('raw limit: PostgreSQL filing + outbox transactions');
  const rawPg = opts.quick ? none : await filingTransactions(envelope, Math.min(opts.concurrency, 10), 10_000);
  log('raw limit: kafkajs produce / consume');
  const rawKafka = opts.quick
    ? { produce: none, consume: none }
    : await kafkaLimits(testKafka('bench-raw'), envelope, 50_000);
  log('raw limit: BullMQ no-op jobs');
  const rawBull = opts.quick ? none : await bullmqNoop(20_000);
  // The floor of this architecture on this machine, measured even in --quick (it is the end-to-end yardstick).
  log('raw limit: bare pipeline floor (HTTP → tx+outbox → Kafka → tx+outbox → Kafka → tx)');
  const floor = await pipelineFloor(body, opts.concurrency, Math.min(10_000, opts.enterprises));
  log('raw limit: rule engine');
  const rules = ruleEngineRate(roster.slice(0, 5000));

  // ---- the pipeline ----
  const namespace = testNamespace('bench');
  const platform = new Platform(
    {
      DATABASE_URL: benchDatabaseUrl(),
      HUOJU_CLOCK_START: clockStart,
      LOG_LEVEL: 'warn',
      ROLLUP_DEBOUNCE_MS: '1000',
      DB_POOL_SIZE: '20',
      ...opts.env,
    },
    { namespace, nodeArgs: () => (opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []) },
  );
  await precreateTopics(testKafka('bench-topics'), namespace, 3);
  // A service that does not come up must not leave the others running without their benchmark.
  await platform.start(SERVICES).catch(async (error: unknown) => {
    await platform.stop();
    throw error;
  });
  const infra: ProcessGroup[] = [
    ...SERVICES.map((service) => ({ name: service, pids: () => [platform.pid(service)!].filter(Boolean) })),
    { name: 'kafka', pids: () => pidsOf('kafka.Kafka') },
    { name: 'postgresql', pids: () => pidsOf('postgres', 'postgres') },
    { name: 'redis', pids: () => pidsOf('redis-server') },
    // The benchmark's own HTTP clients share the two cores with everything else.
    { name: 'load generator (this process)', pids: () => [process.pid] },
  ];
  let report: Awaited<ReturnType<typeof runSeason>> | undefined;
  try {
    report = await runSeason({ opts, platform, roster, months, infra, namespace });
  } finally {
    await platform.stop();
  }

  // ---- writers, without the database ----
  const writers: {
    rows: number;
    raw: { csv: Rate; xlsx: Rate };
    ours: Record<
      string,
      { rowsPerSecond: number; peakRssBytes: number; peakLiveHeapBytes: number | null; seconds: number }
    >;
  }[] = [];
  for (const rows of opts.quick ? [] : opts.exportScale) {
    log(`writers: ${rows} rows (raw and ours)`);
    const raw = await rawWriters(rows, latestFormVersion('torch-monthly')!.indicators.length);
    const ours: Record<
      string,
      { rowsPerSecond: number; peakRssBytes: number; peakLiveHeapBytes: number | null; seconds: number }
    > = {};
    for (const format of ['csv', 'xlsx', 'sdmx-csv']) {
      // --expose-gc lets the writer report the heap it really holds (after a collection), not just RSS.
      const out = execFileSync(
        process.execPath,
        ['--expose-gc', path.join(REPOSITORY_ROOT, 'dist/bench/src/export-writers.main.js'), String(rows), format],
        { maxBuffer: 1e7 },
      ).toString();
      ours[format] = JSON.parse(out.trim().split('\n').pop()!);
    }
    writers.push({ rows, raw, ours });
  }

  // ---- report ----
  const r = report!;
  const tightest = Math.min(rawHttp.perSecond, rawPg.perSecond, rawKafka.produce.perSecond, rawKafka.consume.perSecond);
  const noWriter = {
    rows: 0,
    raw: { csv: none, xlsx: none },
    ours: {
      xlsx: { rowsPerSecond: NaN, peakRssBytes: NaN, peakLiveHeapBytes: null, seconds: 0 },
      csv: { rowsPerSecond: NaN, peakRssBytes: NaN, peakLiveHeapBytes: null, seconds: 0 },
    },
  };
  const xlsx25 = writers[0] ?? noWriter;
  const xlsxBig = writers[writers.length - 1] ?? noWriter;
  const comparisons: Comparison[] = [
    ratioLine(
      'intake: accepted filings/s',
      r.intake.perSecond,
      '/s',
      Math.min(rawHttp.perSecond, rawPg.perSecond),
      rawHttp.perSecond < rawPg.perSecond ? 'bare Fastify POST' : 'PG filing+outbox tx',
      { op: '>=', value: 0.6 },
    ),
    ratioLine('season end to end: filings/s', r.endToEndPerSecond, '/s', tightest, 'tightest raw limit on the path', {
      op: '>=',
      value: 0.5,
    }),
    ratioLine(
      'season end to end ÷ bare pipeline floor',
      r.endToEndPerSecond,
      '/s',
      floor.perSecond,
      'bare pipeline floor',
      {
        op: '>=',
        value: 0.5,
      },
    ),
    ratioLine(
      'intake alone (validation, aggregation stopped): accepted filings/s',
      r.intakeAlone.perSecond,
      '/s',
      Math.min(rawHttp.perSecond, rawPg.perSecond),
      rawHttp.perSecond < rawPg.perSecond ? 'bare Fastify POST' : 'PG filing+outbox tx',
      { op: '>=', value: 0.5 },
    ),
    ...r.openLoop.flatMap((phase) => [
      ratioLine(
        `accept → visible p99, open loop at ${round(phase.offeredPerSecond)}/s (${phase.label}); ${phase.visibility.seen} of ${phase.visibility.sampled} seen`,
        phase.visibility.seen === phase.visibility.sampled ? phase.visibility.p99Ms : Infinity,
        'ms',
        2000,
        'target 2 s',
        { op: '<=', value: 1 },
      ),
      ratioLine(
        `accept → visible p50, open loop at ${round(phase.offeredPerSecond)}/s (${phase.label})`,
        phase.visibility.p50Ms,
        'ms',
        500,
        'target 0.5 s',
        { op: '<=', value: 1 },
      ),
    ]),
    {
      stage: `accept → visible at saturation (${opts.concurrency} closed-loop clients), p50 / p99; ${r.visibility.seen} of ${r.visibility.sampled} seen`,
      measured: `${round(r.visibility.p50Ms)} / ${round(r.visibility.p99Ms)} ms`,
      limit: 'reported',
      ratio: null,
      target: 'every sampled filing seen',
      met: r.visibility.seen === r.visibility.sampled,
    },
    ratioLine(
      'backlog drain after intake alone: filings/s',
      r.intakeAlone.drainPerSecond,
      '/s',
      r.endToEndPerSecond,
      'end-to-end rate',
      { op: '>=', value: 1 },
    ),
    ratioLine(
      'roll-up, all parks (s; lower is better)',
      r.rollup.allParksSeconds,
      's',
      r.rollup.groupBySeconds,
      'bare SQL GROUP BY',
      { op: '<=', value: 1.25 },
    ),
    ratioLine(
      `export xlsx, ${xlsx25.rows} rows`,
      xlsx25.ours.xlsx!.rowsPerSecond,
      'rows/s',
      xlsx25.raw.xlsx.perSecond,
      'exceljs streaming, same sheets and cells',
      { op: '>=', value: 0.8 },
    ),
    ratioLine(
      `export csv, ${xlsx25.rows} rows`,
      xlsx25.ours.csv!.rowsPerSecond,
      'rows/s',
      xlsx25.raw.csv.perSecond,
      'bare CSV stream, same cells',
      { op: '>=', value: 0.8 },
    ),
    ratioLine(
      `export xlsx, ${xlsxBig.rows} rows`,
      xlsxBig.ours.xlsx!.rowsPerSecond,
      'rows/s',
      xlsxBig.raw.xlsx.perSecond,
      'exceljs streaming, same sheets and cells',
      { op: '>=', value: 0.8 },
    ),
    ratioLine(
      `export memory ${xlsxBig.rows} vs ${xlsx25.rows} rows (xlsx, heap held after GC)`,
      (xlsxBig.ours.xlsx!.peakLiveHeapBytes ?? NaN) / 1e6,
      'MB',
      (xlsx25.ours.xlsx!.peakLiveHeapBytes ?? NaN) / 1e6,
      `${xlsx25.rows} rows`,
      { op: '<=', value: 1.5 },
    ),
    ratioLine(
      `export memory ${xlsxBig.rows} vs ${xlsx25.rows} rows (xlsx, peak RSS)`,
      xlsxBig.ours.xlsx!.peakRssBytes / 1e6,
      'MB',
      xlsx25.ours.xlsx!.peakRssBytes / 1e6,
      `${xlsx25.rows} rows`,
      { op: '<=', value: 1.5 },
    ),
  ];
  comparisons.push({
    stage: '250,000-enterprise season (npm run bench -- --enterprises 250000)',
    measured: 'not run in this report',
    limit: 'bench/results/latest-scale.md',
    ratio: null,
    target: 'finishes, every figure final',
    met: null,
  });
  const slowest = [...comparisons.slice(0, 2)].sort((a, b) => (a.ratio ?? 1) - (b.ratio ?? 1))[0]!;
  const slowestService: ServiceName = slowest.stage.startsWith('intake') ? 'intake' : r.busiestService;
  const profiles = opts.profile ? readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')) : [];
  const profileFile = profiles
    .map((f) => path.join(profileDir, f))
    .find((f) => r.pidByService[slowestService] && f.includes(`.${r.pidByService[slowestService]}.`));

  const result = {
    startedAt: started.toISOString(),
    machine: {
      cpus: (await import('node:os')).cpus().length,
      memoryGb: Math.round((await import('node:os')).totalmem() / 1e9),
      node: process.version,
    },
    options: opts,
    raw: {
      floor,
      http: rawHttp,
      pgFilingTx: rawPg,
      kafkaProduce: rawKafka.produce,
      kafkaConsume: rawKafka.consume,
      bullmq: rawBull,
      rules,
    },
    pipeline: r,
    writers,
    comparisons,
    profile: profileFile
      ? {
          service: slowestService,
          file: path.relative(REPOSITORY_ROOT, profileFile),
          top: topFunctions(profileFile),
          byArea: timeByPackage(profileFile),
        }
      : null,
  };
  const markdown = renderMarkdown(result);
  writeFileSync(path.join(resultsDir, `${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
  // The default season is latest.md, the scale run latest-scale.md; other sizes keep their own.
  const standard = opts.months === 1 && !opts.quick;
  const latestName =
    standard && opts.enterprises === 25_000
      ? 'latest.md'
      : standard && opts.enterprises === 250_000
        ? 'latest-scale.md'
        : `latest-${opts.enterprises}x${opts.months}${opts.quick ? '-quick' : ''}.md`;
  writeFileSync(path.join(resultsDir, latestName), markdown);
  console.log(`\n${markdown}`);
  log(
    `written bench/results/${stamp}.json and bench/results/${latestName} in ${round((Date.now() - started.getTime()) / 60000)} min`,
  );
}

async function runSeason(context: {
  opts: Options;
  platform: Platform;
  roster: GeneratedEnterprise[];
  months: ReturnType<typeof monthPeriod>[];
  infra: ProcessGroup[];
  namespace: string;
}) {
  const { opts, platform, roster, months, infra, namespace } = context;
  const sql = new Client({ connectionString: benchDatabaseUrl() });
  await sql.connect();
  sql.on('error', () => undefined);
  const count = async (query: string, params: unknown[] = []) => Number((await sql.query(query, params)).rows[0].n);
  const schema = (name: string) => `"${name}_${namespace}"`;

  // Roster through the import endpoint, 10,000 rows a request.
  log(`roster import: ${roster.length} enterprises`);
  const importStarted = performance.now();
  for (let i = 0; i < roster.length; i += 10_000) {
    const csv = rosterCsv(roster.slice(i, i + 10_000));
    const response = await fetch(`${platform.url('intake')}/v1/enterprises:import`, {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        authorization: `Bearer ${(await testTokens.mint(principals.admin, 3600)).token}`,
      },
      body: csv,
    });
    if (response.status !== 200)
      throw new Error(`roster import refused: ${response.status} ${(await response.text()).slice(0, 2000)}`);
  }
  const importSeconds = (performance.now() - importStarted) / 1000;
  log(`roster imported in ${round(importSeconds)} s; waiting for the projections`);
  // torch-export keeps the roster as a history of versions; one version each after a first import.
  const rosterTable = {
    validation: 'roster_enterprise',
    aggregation: 'roster_enterprise',
    torch_export: 'roster_enterprise_version',
  };
  for (const service of ['validation', 'aggregation', 'torch_export'] as const) {
    await eventually(
      async () =>
        (await count(`SELECT count(DISTINCT uscc) AS n FROM ${schema(service)}.${rosterTable[service]}`)) ===
        roster.length,
      600_000,
      1000,
    );
  }

  // The filings: every enterprise in monthly scope files each month; a share with warnings, a share amended.
  const tokenOf = new Map<string, string>();
  const submissions: { uscc: string; period: string; body: string; amendment: boolean; warn: boolean }[] = [];
  roster.forEach((enterprise, index) => {
    for (const month of months) {
      if (!inScopeOn(enterprise, 'torch-monthly', periodBounds(month).end)) continue;
      const warn = (index * 7919) % 1000 < opts.warnShare * 1000;
      submissions.push({
        uscc: enterprise.uscc,
        period: month.text,
        body: JSON.stringify({
          formId: 'torch-monthly',
          period: month.text,
          values: demoValues(enterprise, month.month, { warn }),
        }),
        amendment: false,
        warn,
      });
    }
  });
  const amendments = submissions
    .filter((_, index) => (index * 104729) % 1000 < opts.amendShare * 1000)
    .map((s) => {
      const values = JSON.parse(s.body).values as Record<string, string>;
      values.qc05_0 = (Number(values.qc05_0) + 12.5).toFixed(3);
      return { ...s, body: JSON.stringify({ formId: 'torch-monthly', period: s.period, values }), amendment: true };
    });
  for (const s of submissions)
    if (!tokenOf.has(s.uscc))
      tokenOf.set(
        s.uscc,
        (await testTokens.mint({ subject: `bench-${s.uscc}`, role: 'enterprise', scope: [s.uscc] }, 7200)).token,
      );

  const sampleEvery = Math.max(1, Math.floor((submissions.length + amendments.length) / 1000));
  const watcher = new VisibilityWatcher(sql, schema('aggregation'));
  let sent = 0;
  const cpuBefore = sampleCpu(infra);
  const machineBefore = machineCpu();
  const seasonStarted = Date.now();
  log(`filing: ${submissions.length} filings + ${amendments.length} amendments at concurrency ${opts.concurrency}`);
  const post = async (submission: (typeof submissions)[number], sampled: (count: number) => boolean) => {
    const response = await fetch(`${platform.url('intake')}/v1/filings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf.get(submission.uscc)}` },
      body: submission.body,
    });
    const receipt = (await response.json()) as { filingId?: string; revision?: number };
    // A filing with a warning waits for its explanation and is in no figure by design: not sampled.
    if (response.status === 202 && !submission.warn && sampled(sent++))
      watcher.track(receipt.filingId!, submission.uscc, submission.period, receipt.revision!, Date.now());
    return response;
  };
  const send = (submission: (typeof submissions)[number]) => post(submission, (n) => n % sampleEvery === 0);
  // Sampling stops quietly if the run is cut short (the schemas go away with the services).
  watcher.start();
  const first = await drive(submissions, send, { concurrency: opts.concurrency });
  const second = await drive(amendments, send, { concurrency: opts.concurrency });
  const intakeSeconds = (Date.now() - seasonStarted) / 1000;
  const machineDuringIntake = machineCpu();
  const machineBusyPercent =
    (100 * (machineDuringIntake.busy - machineBefore.busy)) / (machineDuringIntake.total - machineBefore.total);
  const totalSubmissions = first.ok + second.ok;
  // The downstream services may lag intake: allow them 20 ms a filing, and at least 15 minutes.
  const tailMs = Math.max(900_000, totalSubmissions * 20);
  log(
    `intake accepted ${totalSubmissions} in ${round(intakeSeconds)} s (${round(totalSubmissions / intakeSeconds)}/s); waiting until every aggregate is final`,
  );

  // Done when validation and aggregation saw every submission and every accepted revision is in a roll-up.
  const periods = months.map((m) => m.text);
  await eventually(
    async () =>
      (await count(`SELECT count(*) AS n FROM ${schema('validation')}.verdict WHERE period = ANY($1)`, [periods])) >=
      totalSubmissions,
    tailMs,
    500,
  );
  await eventually(
    async () =>
      (await count(`SELECT count(*) AS n FROM ${schema('aggregation')}.verdict WHERE period = ANY($1)`, [periods])) >=
      totalSubmissions,
    tailMs,
    500,
  );
  // End to end = every accepted revision is in the served figures (figure_input is written with the deltas).
  const uncovered = (table: 'figure_input' | 'rollup_input') =>
    count(
      `SELECT count(*) AS n FROM ${schema('aggregation')}.fact f LEFT JOIN ${schema('aggregation')}.${table} i
         ON i.form_id = f.form_id AND i.period = f.period AND i.uscc = f.uscc AND i.filing_id = f.filing_id AND i.revision = f.revision
        WHERE f.period = ANY($1) AND f.indicator = 'qc05_0' AND i.uscc IS NULL`,
      [periods],
    );
  await eventually(async () => (await uncovered('figure_input')) === 0, tailMs, 500);
  const wallSeconds = (Date.now() - seasonStarted) / 1000;
  // Then every one is also in a reconciling roll-up (the figures' cut-off and final state).
  await eventually(async () => (await uncovered('rollup_input')) === 0, tailMs, 500);
  const reconciledSeconds = (Date.now() - seasonStarted) / 1000;
  const cpuAfter = sampleCpu(infra);
  // Every sampled filing is in the figures by now (every accepted revision is in a roll-up): a last look.
  await eventually(async () => watcher.pending() === 0, 10_000, 100).catch(() => undefined);
  const saturation = watcher.result();
  const outcomes = (
    await sql.query(`SELECT outcome, count(*) AS n FROM ${schema('validation')}.verdict GROUP BY outcome`)
  ).rows as { outcome: string; n: string }[];
  log(`season complete in ${round(wallSeconds)} s`);

  // Roll-up of all parks for the last month, on demand, against a bare GROUP BY over the same facts.
  const period = periods[periods.length - 1]!;
  const before = await count(`SELECT count(*) AS n FROM ${schema('aggregation')}.rollup_run WHERE state = 'completed'`);
  const rollupStarted = performance.now();
  const requested = await platform.http('aggregation').post<{
    jobs: { id: string }[];
  }>('/v1/rollups', { as: principals.commission, body: { park: 'all', formId: 'torch-monthly', period } });
  const jobs = requested.body.jobs.length;
  await eventually(
    async () =>
      (await count(`SELECT count(*) AS n FROM ${schema('aggregation')}.rollup_run WHERE state = 'completed'`)) >=
      before + jobs,
    600_000,
    100,
  );
  const allParksSeconds = (performance.now() - rollupStarted) / 1000;
  const perPark = (
    await sql.query(
      `SELECT park_code, extract(epoch FROM finished_at - started_at) AS seconds FROM ${schema('aggregation')}.rollup_run
        WHERE trigger = 'on-demand' AND period = $1 AND state = 'completed' ORDER BY seconds DESC`,
      [period],
    )
  ).rows as { park_code: string; seconds: string }[];
  const groupBySeconds = await bareGroupBy(sql, schema('aggregation'), period);

  // The export of every park's month, through the service (database cursor + writer + manifest).
  const exporter = platform.http('torch-export');
  const exports: Record<string, { seconds: number; rows: number; rowsPerSecond: number }> = {};
  for (const format of ['csv', 'xlsx']) {
    const t0 = performance.now();
    const job = await exporter.post<{ id: string }>('/v1/exports', {
      as: principals.commission,
      body: { formId: 'torch-monthly', period, park: 'all', format },
    });
    const done = await eventually(
      async () => {
        const view = await exporter.get<{ state: string; progress: { rowsWritten: number } }>(
          `/v1/exports/${job.body.id}`,
          { as: principals.commission },
        );
        return view.body.state === 'completed' ? view.body : undefined;
      },
      600_000,
      200,
    );
    const seconds = (performance.now() - t0) / 1000;
    exports[format] = { seconds, rows: done.progress.rowsWritten, rowsPerSecond: done.progress.rowsWritten / seconds };
  }

  // ---- freshness under an offered load (open loop), then intake alone ----
  // Amendments of accepted filings: each is a new revision that moves the figures when applied.
  const fresh = submissions.filter(
    (s) => !s.warn && !amendments.some((a) => a.uscc === s.uscc && a.period === s.period),
  );
  const bump = (s: (typeof submissions)[number], by: number) => {
    const values = JSON.parse(s.body).values as Record<string, string>;
    values.qc05_0 = (Number(values.qc05_0) + by).toFixed(3);
    return { ...s, body: JSON.stringify({ formId: 'torch-monthly', period: s.period, values }), amendment: true };
  };
  const openLoop: {
    label: string;
    offeredPerSecond: number;
    filings: number;
    acceptedPerSecond: number;
    startLagP99Ms: number;
    visibility: ReturnType<VisibilityWatcher['result']>;
  }[] = [];
  const halfCapacity = Math.max(1, Math.round(totalSubmissions / wallSeconds / 2));
  let offset = 0;
  for (const [label, perSecond] of [
    ['half the measured end-to-end capacity', halfCapacity],
    ['50 filings/s', 50],
  ] as const) {
    const batch = fresh.slice(offset, offset + Math.min(Math.floor(fresh.length / 3), perSecond * 30));
    offset += batch.length;
    const before = watcher.keys();
    log(`open loop: ${batch.length} amendments at ${perSecond}/s (${label})`);
    const result = await driveOpenLoop(
      batch.map((s) => bump(s, 25)),
      (s) => post(s, () => true),
      { perSecond },
    );
    await eventually(async () => watcher.pending() === 0, 60_000, 200).catch(() => undefined);
    const mine = new Set([...watcher.keys()].filter((key) => !before.has(key)));
    openLoop.push({
      label,
      offeredPerSecond: perSecond,
      filings: batch.length,
      acceptedPerSecond: result.perSecond,
      startLagP99Ms: result.startLagP99Ms,
      visibility: watcher.result(mine),
    });
  }
  await watcher.stop();

  // Intake alone: validation and aggregation stopped, so intake has the machine; then the backlog drains.
  const alone = fresh.slice(offset, offset + Math.min(fresh.length - offset, 10_000)).map((s) => bump(s, 50));
  const verdictsBefore = await count(`SELECT count(*) AS n FROM ${schema('aggregation')}.verdict`);
  await Promise.all([platform.kill('validation'), platform.kill('aggregation')]);
  log(`intake alone: ${alone.length} amendments, validation and aggregation stopped`);
  const aloneResult = await drive(alone, send, { concurrency: opts.concurrency });
  await Promise.all([platform.startService('validation'), platform.startService('aggregation')]);
  const drainStarted = Date.now();
  await eventually(
    async () =>
      (await count(`SELECT count(*) AS n FROM ${schema('aggregation')}.verdict`)) >= verdictsBefore + aloneResult.ok,
    600_000,
    200,
  );
  const drainSeconds = (Date.now() - drainStarted) / 1000;
  const intakeAlone = {
    filings: aloneResult.ok,
    perSecond: aloneResult.perSecond,
    p50Ms: percentile(aloneResult.latenciesMs, 50),
    p99Ms: percentile(aloneResult.latenciesMs, 99),
    drainSeconds,
    drainPerSecond: aloneResult.ok / drainSeconds,
  };

  const [reconciliation] = (
    await sql.query<{ rollups: string; defects: string }>(
      `SELECT count(*) AS rollups, coalesce(sum(defects), 0) AS defects FROM ${schema('aggregation')}.rollup_run WHERE state = 'completed'`,
    )
  ).rows;
  const peakRss = samplePeakRss(infra);
  const cpu = Object.fromEntries(
    infra.map((group) => [
      group.name,
      round(((cpuAfter.get(group.name)! - cpuBefore.get(group.name)!) / totalSubmissions) * 1000, 2),
    ]),
  );
  const pidByService = Object.fromEntries(SERVICES.map((service) => [service, platform.pid(service)]));
  const busiestService = SERVICES.map(
    (service) => [service, cpuAfter.get(service)! - cpuBefore.get(service)!] as const,
  ).sort((a, b) => b[1] - a[1])[0]![0];
  await sql.end();
  return {
    roster: { enterprises: roster.length, importSeconds, importRowsPerSecond: roster.length / importSeconds },
    machineBusyPercentWhileFiling: machineBusyPercent,
    intake: {
      accepted: totalSubmissions,
      statuses: { ...first.statuses, ...second.statuses },
      seconds: intakeSeconds,
      perSecond: totalSubmissions / intakeSeconds,
      p50Ms: percentile([...first.latenciesMs, ...second.latenciesMs], 50),
      p99Ms: percentile([...first.latenciesMs, ...second.latenciesMs], 99),
    },
    outcomes: Object.fromEntries(outcomes.map((o) => [o.outcome, Number(o.n)])),
    visibility: saturation,
    openLoop,
    intakeAlone,
    wallSeconds,
    reconciledSeconds,
    reconciliation: { rollups: Number(reconciliation!.rollups), defects: Number(reconciliation!.defects) },
    endToEndPerSecond: totalSubmissions / wallSeconds,
    rollup: {
      period,
      parks: jobs,
      allParksSeconds,
      groupBySeconds,
      perPark: perPark.map((p) => ({ park: p.park_code, seconds: Number(p.seconds) })),
    },
    exports,
    cpuSecondsPer1000Filings: cpu,
    peakRssBytes: Object.fromEntries([...peakRss.entries()]),
    currentRssBytes: Object.fromEntries(SERVICES.map((service) => [service, rssBytes(platform.pid(service) ?? 0)])),
    pidByService,
    busiestService,
  };
}

/** The same figures one roll-up computes for every park, as one bare GROUP BY over the facts (median of 3). */
async function bareGroupBy(sql: Client, schema: string, period: string): Promise<number> {
  const end = periodBounds(parsePeriod(period, 'month')).end;
  const query = `
    SELECT m.park_code, m.sub_park_code, m.carrier_code, e.registered_district, s.street_code, substr(e.industry_code, 1, 1) AS section,
           substr(e.industry_code, 2, 2) AS division, f.indicator, sum(f.value), sum(f.value - coalesce(p.value, 0)), count(*)
      FROM ${schema}.fact f
      JOIN ${schema}.roster_membership m ON m.uscc = f.uscc AND m.valid_from <= $2::date AND (m.valid_to IS NULL OR m.valid_to >= $2::date)
      JOIN ${schema}.roster_enterprise e ON e.uscc = f.uscc
      LEFT JOIN ${schema}.roster_street s ON s.uscc = f.uscc AND s.valid_from <= $2::date AND (s.valid_to IS NULL OR s.valid_to >= $2::date)
      LEFT JOIN ${schema}.fact p ON p.form_id = f.form_id AND p.period = $3 AND p.uscc = f.uscc AND p.indicator = f.indicator
     WHERE f.form_id = 'torch-monthly' AND f.period = $1
     GROUP BY GROUPING SETS ((m.park_code, f.indicator), (m.park_code, m.sub_park_code, f.indicator), (m.park_code, m.carrier_code, f.indicator),
              (m.park_code, e.registered_district, f.indicator), (m.park_code, s.street_code, f.indicator),
              (m.park_code, substr(e.industry_code, 1, 1), f.indicator), (m.park_code, substr(e.industry_code, 2, 2), f.indicator))`;
  const previous = monthPeriod(Number(period.slice(0, 4)), Number(period.slice(5)) - 1 || 1).text;
  // The faster of JIT on and off (the services run with it off): the yardstick is the best bare query.
  const medians: number[] = [];
  for (const jit of ['on', 'off']) {
    await sql.query(`SET jit = ${jit}`);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await sql.query(query, [period, end, previous]);
      times.push((performance.now() - t0) / 1000);
    }
    medians.push(percentile(times, 50));
  }
  await sql.query('RESET jit');
  return Math.min(...medians);
}

/** Rules evaluated per second by the engine on monthly filings with a full cross-period context. */
function ruleEngineRate(enterprises: readonly GeneratedEnterprise[]) {
  const form = formVersionFor('torch-monthly', '2026-09')!;
  const engine = engineFor(form);
  const inputs = enterprises.map((e) => ({
    filing: { period: '2026-09', values: demoValues(e, 9) },
    context: {
      enterprise: { industryCode: e.industryCode, inScope: true },
      previousMonth: { period: '2026-08', revision: 1, values: demoValues(e, 8) },
      sameMonthLastYear: { period: '2025-09', revision: 1, values: demoValues(e, 9) },
    },
  }));
  let evaluated = 0;
  const t0 = performance.now();
  for (let round = 0; round < 4; round++) {
    for (const input of inputs) evaluated += engine.evaluate(input.filing, input.context).rulesEvaluated;
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    filings: inputs.length * 4,
    rulesPerSecond: evaluated / seconds,
    microsecondsPerFiling: (seconds * 1e6) / (inputs.length * 4),
  };
}

async function ensureDatabase(): Promise<void> {
  const url = new URL(benchDatabaseUrl());
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
}

function renderMarkdown(result: {
  startedAt: string;
  machine: { cpus: number; memoryGb: number; node: string };
  options: Options;
  raw: Record<string, unknown> & {
    floor: Rate & { cpuMsPerFiling: number };
    http: Rate;
    pgFilingTx: Rate;
    kafkaProduce: Rate;
    kafkaConsume: Rate;
    bullmq: Rate;
    rules: { rulesPerSecond: number; microsecondsPerFiling: number };
  };
  pipeline: Awaited<ReturnType<typeof runSeason>>;
  writers: {
    rows: number;
    raw: { csv: Rate; xlsx: Rate };
    ours: Record<
      string,
      { rowsPerSecond: number; peakRssBytes: number; peakLiveHeapBytes: number | null; seconds: number }
    >;
  }[];
  comparisons: Comparison[];
  profile: {
    service: string;
    file: string;
    top: { name: string; where: string; selfPercent: number }[];
    byArea: { area: string; selfPercent: number }[];
  } | null;
}): string {
  const p = result.pipeline;
  const lines = [
    `# Huoju benchmark — ${result.startedAt}`,
    '',
    `Machine: ${result.machine.cpus} cores, ${result.machine.memoryGb} GB, Node ${result.machine.node}. Season: ${p.roster.enterprises} enterprises, ${result.options.months} month(s), ${p.intake.accepted} filings accepted by intake (${Object.entries(
      p.outcomes,
    )
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}), concurrency ${result.options.concurrency}.`,
    '',
    '## Pipeline against the raw limits measured in the same run',
    '',
    markdownTable(
      ['stage', 'measured', 'raw limit', 'ratio', 'target', 'met'],
      result.comparisons.map((c) => [c.stage, c.measured, c.limit, c.ratio, c.target, c.met]),
    ),
    '',
    '## Pipeline figures',
    '',
    markdownTable(
      ['figure', 'value'],
      [
        [
          'roster import (CSV through intake)',
          `${round(p.roster.importRowsPerSecond)} rows/s (${round(p.roster.importSeconds)} s)`,
        ],
        ['intake accepted filings/s', round(p.intake.perSecond)],
        ['machine CPU busy while filings arrived (all cores)', `${round(p.machineBusyPercentWhileFiling)}%`],
        ['intake accept latency p50 / p99', `${round(p.intake.p50Ms)} / ${round(p.intake.p99Ms)} ms`],
        [
          'accept → visible in the aggregates API, p50 / p99',
          `${round(p.visibility.p50Ms)} / ${round(p.visibility.p99Ms)} ms (${p.visibility.seen} of ${p.visibility.sampled} sampled)`,
        ],
        ...p.openLoop.map((phase) => [
          `open loop at ${round(phase.offeredPerSecond)}/s (${phase.label}): accept → visible p50 / p99`,
          `${round(phase.visibility.p50Ms)} / ${round(phase.visibility.p99Ms)} ms (${phase.visibility.seen} of ${phase.visibility.sampled}; accepted ${round(phase.acceptedPerSecond)}/s, generator lag p99 ${round(phase.startLagP99Ms)} ms)`,
        ]),
        [
          'intake alone (validation and aggregation stopped)',
          `${round(p.intakeAlone.perSecond)} filings/s, p50 / p99 ${round(p.intakeAlone.p50Ms)} / ${round(p.intakeAlone.p99Ms)} ms (${p.intakeAlone.filings} amendments)`,
        ],
        [
          'its backlog drained after restarting them',
          `${round(p.intakeAlone.drainSeconds)} s (${round(p.intakeAlone.drainPerSecond)} filings/s)`,
        ],
        ['wall time until every accepted filing is in the served figures', `${round(p.wallSeconds)} s`],
        ['wall time until every one is also in a reconciling roll-up', `${round(p.reconciledSeconds)} s`],
        [
          'reconciling roll-ups: differences found between the incremental figures and a recomputation',
          `${p.reconciliation.defects} in ${p.reconciliation.rollups} roll-ups`,
        ],
        ['end-to-end filings/s over the season', round(p.endToEndPerSecond)],
        [
          'roll-up, all parks, one month',
          `${round(p.rollup.allParksSeconds, 2)} s for ${p.rollup.parks} parks (bare GROUP BY ${round(p.rollup.groupBySeconds, 3)} s)`,
        ],
        [
          'roll-up per park (slowest three)',
          p.rollup.perPark
            .slice(0, 3)
            .map((x) => `${x.park} ${round(x.seconds, 2)} s`)
            .join(', '),
        ],
        ...Object.entries(p.exports).map(([format, e]) => [
          `export through the service (${format}, all parks)`,
          `${round(e.rowsPerSecond)} rows/s, ${e.rows} rows in ${round(e.seconds, 1)} s`,
        ]),
        [
          'rule engine',
          `${round(result.raw.rules.rulesPerSecond)} rules/s (${round(result.raw.rules.microsecondsPerFiling)} µs per monthly filing)`,
        ],
      ],
    ),
    '',
    '## Raw limits',
    '',
    markdownTable(
      ['limit', 'rate', 'detail'],
      [
        [
          'bare pipeline floor (POST → tx+outbox → Kafka → tx+outbox → Kafka → tx)',
          `${round(result.raw.floor.perSecond)} filings/s`,
          `${result.raw.floor.count} filings; ${round(result.raw.floor.cpuMsPerFiling, 2)} CPU-ms per filing (its process); POST p50 ${round(result.raw.floor.p50Ms ?? NaN)} ms`,
        ],
        [
          'bare Fastify POST (same body)',
          `${round(result.raw.http.perSecond)} req/s`,
          `p50 ${round(result.raw.http.p50Ms ?? NaN)} ms, p99 ${round(result.raw.http.p99Ms ?? NaN)} ms`,
        ],
        [
          'PostgreSQL filing + outbox tx',
          `${round(result.raw.pgFilingTx.perSecond)} tx/s`,
          `p50 ${round(result.raw.pgFilingTx.p50Ms ?? NaN)} ms`,
        ],
        [
          'kafkajs produce (batches of 100, acks=all)',
          `${round(result.raw.kafkaProduce.perSecond)} msgs/s`,
          `${result.raw.kafkaProduce.count} messages`,
        ],
        ['kafkajs consume (eachBatch, no-op)', `${round(result.raw.kafkaConsume.perSecond)} msgs/s`, ''],
        ['BullMQ no-op jobs', `${round(result.raw.bullmq.perSecond)} jobs/s`, `${result.raw.bullmq.count} jobs`],
        ...result.writers.flatMap((w) => [
          [`bare CSV stream, ${w.rows} rows`, `${round(w.raw.csv.perSecond)} rows/s`, ''],
          [`exceljs streaming, ${w.rows} rows`, `${round(w.raw.xlsx.perSecond)} rows/s`, ''],
        ]),
      ],
    ),
    '',
    '## Export writers (ours, no database)',
    '',
    markdownTable(
      ['rows', 'format', 'rows/s', 'peak RSS', 'heap held (after GC)'],
      result.writers.flatMap((w) =>
        Object.entries(w.ours).map(([format, o]) => [
          w.rows,
          format,
          round(o.rowsPerSecond),
          megabytes(o.peakRssBytes),
          o.peakLiveHeapBytes === null ? '—' : megabytes(o.peakLiveHeapBytes),
        ]),
      ),
    ),
    '',
    '## CPU seconds per 1,000 filings and peak RSS, per process',
    '',
    markdownTable(
      ['process', 'CPU s / 1,000 filings', 'peak RSS'],
      Object.keys(p.cpuSecondsPer1000Filings).map((name) => [
        name,
        p.cpuSecondsPer1000Filings[name]!,
        megabytes(p.peakRssBytes[name] ?? 0),
      ]),
    ),
  ];
  if (result.profile) {
    lines.push(
      '',
      `## Where the time goes: ${result.profile.service} (CPU profile ${result.profile.file})`,
      '',
      markdownTable(
        ['area', 'self time'],
        result.profile.byArea.map((a) => [a.area, `${a.selfPercent}%`]),
      ),
      '',
      markdownTable(
        ['function', 'where', 'self time'],
        result.profile.top.map((f) => [f.name, f.where, `${f.selfPercent}%`]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
