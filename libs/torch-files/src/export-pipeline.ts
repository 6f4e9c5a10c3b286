import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { ExportFormat } from './formats';
import {
  createWriter,
  Provenance,
  type CutoffFacts,
  type ExportRow,
  type ExportSubject,
  type WrittenCounts,
} from './writers';

export interface ExportFileOptions {
  readonly format: ExportFormat;
  readonly subject: ExportSubject;
  /** Final path; the file is written next to it as .part and renamed when complete. */
  readonly filename: string;
  /** The cut-off time (newest verdict included); the only time the file may contain. */
  readonly time: Date;
  /** Rows in strictly increasing USCC order. */
  readonly batches: AsyncIterable<readonly ExportRow[]>;
  readonly onProgress?: (rowsWritten: number) => Promise<void> | void;
}

export interface ExportFileResult {
  readonly counts: WrittenCounts;
  readonly cutoff: CutoffFacts;
  readonly bytes: number;
  readonly sha256: string;
  /** The included filings, for the manifest; dispose when done. */
  readonly provenance: Provenance;
}

/**
 * Streams rows through a format's writer and records what was included. The same path serves the job
 * worker (rows from a database cursor) and the benchmark (synthetic rows), so the bench measures the code
 * that runs.
 */
export async function writeExportFile(options: ExportFileOptions): Promise<ExportFileResult> {
  const partial = `${options.filename}.part`;
  const provenance = new Provenance(`${options.filename}.filings.part`);
  const writer = createWriter(options.format, options.subject, partial, options.time);
  try {
    let written = 0;
    for await (const rows of options.batches) {
      await provenance.add(rows);
      await writer.writeRows(rows);
      written += rows.length;
      await options.onProgress?.(written);
    }
    const cutoff = await provenance.close();
    const counts = await writer.finish(provenance, cutoff);
    await rename(partial, options.filename);
    const { bytes, sha256 } = await hashFile(options.filename);
    return { counts: { enterprises: cutoff.filings, ...counts }, cutoff, bytes, sha256, provenance };
  } catch (error) {
    await writer.abort().catch(() => undefined);
    await provenance.dispose();
    await rm(partial, { force: true });
    throw error;
  }
}

export async function hashFile(filename: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(filename)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}
