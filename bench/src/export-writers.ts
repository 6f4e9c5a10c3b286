import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { latestFormVersion, parsePeriod, subParks, type FormId, type FormVersion } from '@huoju/domain';
import {
  FORMAT_FILES,
  writeExportFile,
  writeManifest,
  type ExportFormat,
  type ExportRow,
  type ExportSubject,
} from '@huoju/torch-files';

export interface BenchExportOptions {
  /** Synthetic enterprise rows to write. */
  readonly rows: number;
  readonly format?: ExportFormat;
  readonly formId?: FormId;
  /** Rows per batch, as the worker fetches them from the cursor. */
  readonly batchSize?: number;
  /** Directory for the file; a fresh temporary one (removed afterwards) by default. */
  readonly dir?: string;
  /** Also write the manifest with its list of filings, as the worker does. Default true. */
  readonly manifest?: boolean;
}

export interface BenchExportResult {
  readonly format: ExportFormat;
  readonly formId: FormId;
  readonly rows: number;
  readonly indicators: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly bytes: number;
  readonly sha256: string;
  /** Resident set size before writing, and the highest sampled while writing (every 20 ms and after each batch). */
  readonly baselineRssBytes: number;
  readonly peakRssBytes: number;
  readonly peakHeapUsedBytes: number;
  /**
   * The highest heap still in use right after a full collection, sampled every 25 batches: what the export
   * really holds, without the garbage V8 lets accumulate. Null unless node runs with --expose-gc.
   */
  readonly peakLiveHeapBytes: number | null;
}

const BENCH_TIME = new Date('2026-10-08T02:00:00.000Z');

/**
 * Writes `rows` synthetic enterprises through the same writers (and manifest) the export worker uses, to a
 * temporary file, and measures rows/s and peak memory. For `npm run bench` (e.g. at 25,000 and 250,000 rows):
 * memory should stay flat as rows grow. Timings are informational; nothing asserts them.
 */
export async function benchExport(options: BenchExportOptions): Promise<BenchExportResult> {
  const format = options.format ?? 'xlsx';
  const formId = options.formId ?? 'torch-monthly';
  const form = latestFormVersion(formId)!;
  const subject: ExportSubject = {
    form,
    period: parsePeriod(form.periodType === 'month' ? '2026-09' : '2025', form.periodType),
    park: 'all',
  };
  const batchSize = options.batchSize ?? 2000;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'torch-export-bench-')));
  const filename = join(dir, `bench-${options.rows}.${FORMAT_FILES[format].extension}`);

  const baselineRssBytes = process.memoryUsage().rss;
  let peakRssBytes = baselineRssBytes;
  let peakHeapUsedBytes = process.memoryUsage().heapUsed;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRssBytes = Math.max(peakRssBytes, usage.rss);
    peakHeapUsedBytes = Math.max(peakHeapUsedBytes, usage.heapUsed);
  };
  const sampler = setInterval(sample, 20);
  sampler.unref();
  const collect = (globalThis as { gc?: () => void }).gc;
  let peakLiveHeapBytes: number | null = null;
  let batches = 0;
  const onBatch = () => {
    sample();
    if (collect && batches++ % 25 === 0) {
      collect();
      peakLiveHeapBytes = Math.max(peakLiveHeapBytes ?? 0, process.memoryUsage().heapUsed);
    }
  };

  const started = performance.now();
  try {
    const result = await writeExportFile({
      format,
      subject,
      filename,
      time: BENCH_TIME,
      batches: syntheticBatches(form, options.rows, batchSize),
      onProgress: onBatch,
    });
    try {
      if (options.manifest ?? true) {
        await writeManifest(
          `${filename}.manifest.json`,
          benchManifestHeader(format, subject, result),
          result.provenance,
        );
      }
    } finally {
      await result.provenance.dispose();
    }
    sample();
    const seconds = (performance.now() - started) / 1000;
    return {
      format,
      formId,
      rows: options.rows,
      indicators: form.indicators.length,
      seconds,
      rowsPerSecond: Math.round(options.rows / seconds),
      bytes: result.bytes,
      sha256: result.sha256,
      baselineRssBytes,
      peakRssBytes,
      peakHeapUsedBytes,
      peakLiveHeapBytes,
    };
  } finally {
    clearInterval(sampler);
    if (!options.dir) await rm(dir, { recursive: true, force: true });
  }
}

/** Deterministic rows in USCC order, spread over every sub-park, about four in five indicators filled. */
async function* syntheticBatches(form: FormVersion, count: number, batchSize: number): AsyncGenerator<ExportRow[]> {
  const places = subParks();
  for (let start = 0; start < count; start += batchSize) {
    const batch: ExportRow[] = [];
    for (let index = start; index < Math.min(count, start + batchSize); index++) {
      const place = places[index % places.length]!;
      const values: Record<string, string> = {};
      form.indicators.forEach((indicator, column) => {
        const draw = (index * 2_654_435_761 + column * 40_503) % 100_000_007;
        if (draw % 5 === 0) return;
        const whole = draw % 10_000_000;
        values[indicator.code] =
          indicator.decimals > 0 ? `${whole}.${String(draw % 1000).padStart(3, '0')}` : String(whole % 5000);
      });
      batch.push({
        uscc: `91310000${String(index).padStart(10, '0')}`,
        nameZh: `上海合成测试${index}科技有限公司`,
        parkCode: place.parkCode,
        subParkCode: place.code,
        streetCode: place.streetCodes[0] ?? null,
        industryCode: 'I6513',
        registryVersion: 1,
        filingId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
        revision: 1,
        verdict: 1,
        contentSha256: (index % 16).toString(16).repeat(64),
        validatedAt: BENCH_TIME.toISOString(),
        values,
        previousValues: null,
      });
    }
    yield batch;
  }
}

function benchManifestHeader(
  format: ExportFormat,
  subject: ExportSubject,
  result: Awaited<ReturnType<typeof writeExportFile>>,
) {
  return {
    manifestVersion: 1 as const,
    exportId: 'bench',
    formId: subject.form.formId,
    formVersion: subject.form.version,
    period: subject.period.text,
    park: subject.park,
    format,
    file: { name: 'bench', contentType: FORMAT_FILES[format].contentType, bytes: result.bytes, sha256: result.sha256 },
    rows: result.counts,
    cutoff: {
      requested: { kind: 'live' },
      verdictSequence: '0',
      validatedAtLimit: null,
      filings: result.cutoff.filings,
      includedSha256: result.cutoff.includedSha256,
      includedDigestOf: 'bench',
      newestValidatedAt: result.cutoff.newestValidatedAt,
      unattributedFilings: 0,
    },
    roster: {
      date: '2026-09-30',
      sequence: '0',
      enterprises: result.cutoff.filings,
      sha256: result.cutoff.rosterSha256,
      digestOf: 'bench',
    },
    trigger: { kind: 'bench' },
    generator: { service: 'torch-export' },
  };
}
