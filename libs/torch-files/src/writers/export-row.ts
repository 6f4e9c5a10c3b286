import type { FormVersion, Period } from '@huoju/domain';
import type { CutoffFacts } from './provenance';

/** What is exported: one form, one period, one park or the whole zone. */
export interface ExportSubject {
  readonly form: FormVersion;
  readonly period: Period;
  /** A park code, or "all" for every park of the zone. */
  readonly park: string;
}

/**
 * One enterprise's accepted filing as of the cut-off, attributed to the park and sub-park the roster had it
 * in on the period's last day. Values are exact decimal strings, never numbers.
 */
export interface ExportRow {
  readonly uscc: string;
  readonly nameZh: string;
  readonly parkCode: string;
  readonly subParkCode: string;
  readonly streetCode: string | null;
  readonly industryCode: string;
  readonly registryVersion: number;
  readonly filingId: string;
  readonly revision: number;
  readonly verdict: number;
  /** The receipt hash of the revision (what the enterprise's receipt shows). */
  readonly contentSha256: string;
  /** ISO instant, UTC, millisecond precision. */
  readonly validatedAt: string;
  readonly values: Readonly<Record<string, string>>;
  /**
   * The same enterprise's accepted values for the month before, same year and same cut-off (monthly forms,
   * SDMX only): null when it has none, undefined when not asked for.
   */
  readonly previousValues?: Readonly<Record<string, string>> | null;
}

/** Writes one format. Rows arrive in USCC order, in batches; `finish` completes the file. */
export interface ExportWriter {
  writeRows(rows: readonly ExportRow[]): Promise<void>;
  finish(provenance: ProvenanceSource, cutoff: CutoffFacts): Promise<WrittenCounts>;
  /** Stops writing after a failure; the caller deletes the partial file. */
  abort(): Promise<void>;
}

/** Row counts of the written file, by part (enterprise rows, summary rows, receipts, observations). */
export type WrittenCounts = Readonly<Record<string, number>>;

/** One included filing, as the receipts sheet and the manifest list it. */
export interface ProvenanceEntry {
  readonly uscc: string;
  readonly nameZh: string;
  readonly filingId: string;
  readonly revision: number;
  readonly verdict: number;
  readonly contentSha256: string;
  readonly validatedAt: string;
  readonly registryVersion: number;
}

/** The included filings in USCC order, read back from disk so that memory does not grow with the export. */
export interface ProvenanceSource {
  entries(): AsyncIterable<ProvenanceEntry>;
}
