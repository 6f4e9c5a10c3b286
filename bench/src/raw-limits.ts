import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import ExcelJS from 'exceljs';
import { Partitioners, type Kafka } from 'kafkajs';
import { Client } from 'pg';
import { REPOSITORY_ROOT, infrastructureUrls } from '@huoju/testing';
import { drive, percentile } from './load';
import { cpuSeconds } from './processes';

export interface Rate {
  readonly perSecond: number;
  readonly count: number;
  readonly seconds: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
}

/** A bare Fastify POST with the same body, in its own process, driven like intake is. */
export async function bareFastify(body: string, concurrency: number, durationMs: number): Promise<Rate> {
  const port = 3900 + Math.floor(Math.random() * 90);
  const server = spawn(
    process.execPath,
    [path.join(REPOSITORY_ROOT, 'dist/bench/src/bare-fastify.main.js'), String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => server.stdout!.once('data', () => resolve()));
  try {
    const url = `http://127.0.0.1:${port}/v1/filings`;
    const result = await drive(
      () => body,
      (payload) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
          body: payload,
        }),
      { concurrency, durationMs },
    );
    return {
      perSecond: result.perSecond,
      count: result.ok,
      seconds: result.seconds,
      p50Ms: percentile(result.latenciesMs, 50),
      p99Ms: percentile(result.latenciesMs, 99),
    };
  } finally {
    server.kill('SIGTERM');
  }
}

/** PostgreSQL transactions/s for inserting a filing row and an outbox row, with `connections` in parallel. */
export async function filingTransactions(envelope: string, connections: number, durationMs: number): Promise<Rate> {
  const schema = `bench_raw_${Date.now()}`;
  const admin = new Client({ connectionString: benchDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(
    `CREATE TABLE ${schema}.filing (id uuid PRIMARY KEY, uscc text, form_id text, period text, "values" jsonb, received_at timestamptz, status text)`,
  );
  await admin.query(
    `CREATE TABLE ${schema}.outbox (id bigserial PRIMARY KEY, topic text, message_key text, envelope jsonb, created_at timestamptz DEFAULT now(), published_at timestamptz)`,
  );
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new Client({ connectionString: benchDatabaseUrl() });
      await client.connect();
      return client;
    }),
  );
  let count = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO ${schema}.filing VALUES ($1, '91310000MA1K000001', 'torch-monthly', '2026-09', $2::jsonb, now(), 'received')`,
          [randomUUID(), envelope],
        );
        await client.query(
          `INSERT INTO ${schema}.outbox (topic, message_key, envelope) VALUES ('filing.submitted.v1', '91310000MA1K000001', $1::jsonb)`,
          [envelope],
        );
        await client.query('COMMIT');
        latencies.push(performance.now() - t0);
        count++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((client) => client.end()));
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
  return {
    perSecond: count / seconds,
    count,
    seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

/** kafkajs producing `count` messages of the event's size in batches of 100, acks=all; then consuming them (eachBatch, no-op). */
export async function kafkaLimits(
  kafka: Kafka,
  value: string,
  count: number,
): Promise<{ produce: Rate; consume: Rate }> {
  const topic = `bench.raw.${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  let started = performance.now();
  for (let sent = 0; sent < count; sent += 100) {
    const messages = Array.from({ length: Math.min(100, count - sent) }, (_, i) => ({
      key: `9131000${(sent + i) % 5000}`,
      value,
    }));
    await producer.send({ topic, acks: -1, messages });
  }
  const produceSeconds = (performance.now() - started) / 1000;
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `bench-raw-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let consumed = 0;
  let firstAt = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch }) => {
        if (firstAt === 0) firstAt = performance.now();
        consumed += batch.messages.length;
        if (consumed >= count) resolve();
      },
    });
  });
  const consumeSeconds = (performance.now() - firstAt) / 1000;
  started = 0;
  await consumer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  return {
    produce: { perSecond: count / produceSeconds, count, seconds: produceSeconds },
    consume: { perSecond: count / consumeSeconds, count, seconds: consumeSeconds },
  };
}

/** BullMQ no-op jobs/s: addBulk then a worker (concurrency 50) completing them. */
export async function bullmqNoop(count: number): Promise<Rate> {
  const url = new URL(infrastructureUrls().redisUrl);
  const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
  const prefix = `huoju:benchraw${Date.now()}`;
  const queue = new Queue('noop', { connection, prefix });
  let done = 0;
  let resolveDone!: () => void;
  const finished = new Promise<void>((resolve) => (resolveDone = resolve));
  const started = performance.now();
  const worker = new Worker('noop', async () => undefined, { connection, prefix, concurrency: 50 });
  worker.on('completed', () => {
    if (++done >= count) resolveDone();
  });
  for (let added = 0; added < count; added += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, count - added) }, (_, i) => ({
        name: 'noop',
        data: { i: added + i },
        opts: { removeOnComplete: true },
      })),
    );
  }
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { perSecond: count / seconds, count, seconds };
}

/**
 * Raw writers: the same cells through a bare CSV stream and exceljs's streaming writer, no database. A row
 * is what the Torch files hold per enterprise: 9 descriptive columns and one per indicator; the workbook
 * also has the receipts sheet (8 cells per filing), as ours does.
 */
export async function rawWriters(rows: number, indicators: number): Promise<{ csv: Rate; xlsx: Rate }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'huoju-bench-'));
  const uscc = (i: number) => `91310000MA${String(i).padStart(8, '0')}`;
  const text = (i: number) => [
    uscc(i),
    `上海示例企业${i}有限公司`,
    'PT',
    '普陀园',
    'PT-SUHE',
    '苏河湾',
    '310107015',
    '长风新村街道',
    'I6513',
  ];
  const value = (i: number, c: number) => ((i * 7 + c) * 13.125).toFixed(3);
  const row = (i: number) => [...text(i), ...Array.from({ length: indicators }, (_, c) => value(i, c))];
  try {
    let started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(path.join(dir, 'raw.csv'));
      out.on('error', reject);
      let i = 0;
      const write = () => {
        let ok = true;
        while (i < rows && ok) ok = out.write(`${row(i++).join(',')}\r\n`);
        if (i < rows) out.once('drain', write);
        else out.end(resolve);
      };
      write();
    });
    const csvSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: path.join(dir, 'raw.xlsx'),
      useStyles: false,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet('rows');
    for (let i = 0; i < rows; i++)
      sheet.addRow([...text(i), ...Array.from({ length: indicators }, (_, c) => Number(value(i, c)))]).commit();
    sheet.commit();
    const receipts = workbook.addWorksheet('receipts');
    for (let i = 0; i < rows; i++)
      receipts
        .addRow([
          uscc(i),
          `上海示例企业${i}有限公司`,
          `filing-${i}`,
          1,
          1,
          'f'.repeat(64),
          '2026-10-08T02:00:00.000Z',
          3,
        ])
        .commit();
    receipts.commit();
    await workbook.commit();
    const xlsxSeconds = (performance.now() - started) / 1000;
    return {
      csv: { perSecond: rows / csvSeconds, count: rows, seconds: csvSeconds },
      xlsx: { perSecond: rows / xlsxSeconds, count: rows, seconds: xlsxSeconds },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function benchDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/huoju_bench';
}

/**
 * The bare pipeline floor (pipeline-floor.main.ts) driven like the platform: `count` filings by
 * `concurrency` clients; the rate counts until the last one's facts are committed, three transactions and
 * two Kafka hops later. Also its CPU per filing (one process does all of it).
 */
export async function pipelineFloor(
  body: string,
  concurrency: number,
  count: number,
): Promise<Rate & { cpuMsPerFiling: number }> {
  const port = 3900 + Math.floor(Math.random() * 90);
  const namespace = `f${Date.now().toString(36)}`;
  const floor = spawn(
    process.execPath,
    [path.join(REPOSITORY_ROOT, 'dist/bench/src/pipeline-floor.main.js'), String(port), benchDatabaseUrl(), namespace],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' } },
  );
  await new Promise<void>((resolve, reject) => {
    floor.stdout!.once('data', () => resolve());
    floor.once('exit', (code) => reject(new Error(`the pipeline floor exited with ${code}`)));
  });
  const sql = new Client({ connectionString: benchDatabaseUrl() });
  await sql.connect();
  try {
    const cpuBefore = cpuSeconds(floor.pid!);
    const started = performance.now();
    const url = `http://127.0.0.1:${port}/v1/filings`;
    let n = 0;
    const result = await drive(
      Array.from({ length: count }, () => `9131000${(n++ % 5000).toString().padStart(11, '0')}`),
      (uscc) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-uscc': uscc }, body }),
      { concurrency },
    );
    for (;;) {
      const done = await sql.query<{ n: string }>(`SELECT count(DISTINCT filing_id) AS n FROM floor_${namespace}.fact`);
      if (Number(done.rows[0]!.n) >= result.ok) break;
      if (performance.now() - started > 600_000) throw new Error('the pipeline floor did not finish in 10 minutes');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      perSecond: result.ok / seconds,
      count: result.ok,
      seconds,
      p50Ms: percentile(result.latenciesMs, 50),
      p99Ms: percentile(result.latenciesMs, 99),
      cpuMsPerFiling: ((cpuSeconds(floor.pid!) - cpuBefore) * 1000) / result.ok,
    };
  } finally {
    await sql.end();
    floor.kill('SIGTERM');
    await new Promise((resolve) => floor.once('exit', resolve));
  }
}
