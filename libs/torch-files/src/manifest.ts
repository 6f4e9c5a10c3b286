import { rename } from 'node:fs/promises';
import { FileOutput } from './writers/file-output';
import type { ProvenanceSource } from './writers';

/** Everything a manifest says about its file except the list of filings (kept in the database too). */
export interface ManifestHeader {
  readonly manifestVersion: 1;
  readonly exportId: string;
  readonly formId: string;
  readonly formVersion: string;
  readonly period: string;
  readonly park: string;
  readonly format: string;
  readonly file: {
    readonly name: string;
    readonly contentType: string;
    readonly bytes: number;
    readonly sha256: string;
  };
  readonly rows: Readonly<Record<string, number>>;
  readonly cutoff: {
    /** What the request asked for: now, another export's cut-off, or verdicts up to an instant. */
    readonly requested: { readonly kind: string; readonly exportId?: string; readonly validatedAt?: string };
    /** Verdicts recorded up to this sequence number were visible (with the limit below, if any). */
    readonly verdictSequence: string;
    readonly validatedAtLimit: string | null;
    readonly filings: number;
    readonly includedSha256: string;
    readonly includedDigestOf: string;
    readonly newestValidatedAt: string | null;
    /** Accepted filings of the period the roster could not place in a park on the roster date. */
    readonly unattributedFilings: number;
  };
  readonly roster: {
    readonly date: string;
    /** Roster versions recorded up to this sequence number were read (names as on the date, places by validity). */
    readonly sequence: string;
    readonly enterprises: number;
    readonly sha256: string;
    readonly digestOf: string;
  };
  readonly trigger: Readonly<Record<string, unknown>>;
  readonly generator: Readonly<Record<string, string>>;
}

/**
 * Writes `{ ...header, "filings": [...] }` streaming the list, so a 250,000-row manifest never sits in
 * memory; written as .part and renamed, so a reader never sees half a manifest.
 */
export async function writeManifest(
  filename: string,
  header: ManifestHeader,
  provenance: ProvenanceSource,
): Promise<void> {
  const partial = `${filename}.part`;
  const output = new FileOutput(partial);
  const head = JSON.stringify(header, null, 2);
  await output.write(`${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "filings": [`);
  let first = true;
  let chunk = '';
  let pending = 0;
  for await (const entry of provenance.entries()) {
    const { uscc, filingId, revision, verdict, contentSha256, validatedAt } = entry;
    chunk += `${first ? '\n' : ',\n'}    ${JSON.stringify({ uscc, filingId, revision, verdict, contentSha256, validatedAt })}`;
    first = false;
    if (++pending === 1000) {
      await output.write(chunk);
      chunk = '';
      pending = 0;
    }
  }
  await output.write(`${chunk}${first ? '' : '\n  '}]\n}\n`);
  await output.close();
  await rename(partial, filename);
}
