import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { ExportRow, ProvenanceEntry, ProvenanceSource } from './export-row';

/** What an export's rows were made from: the cut-off as the manifest states it. */
export interface CutoffFacts {
  /** Filings (enterprise rows) included. */
  readonly filings: number;
  /** sha-256 of the lines "filingId:revision:verdict\n" of the included filings, in USCC order. */
  readonly includedSha256: string;
  readonly newestValidatedAt: string | null;
  /** sha-256 of the lines "uscc:registryVersion\n" of the exported enterprises, in USCC order. */
  readonly rosterSha256: string;
}

type Line = [
  uscc: string,
  nameZh: string,
  filingId: string,
  revision: number,
  verdict: number,
  contentSha256: string,
  validatedAt: string,
  registryVersion: number,
];

/**
 * Records every included filing while the rows stream past: digests for the manifest, and the list itself
 * in a temporary file (one JSON line each) that the receipts sheet and the manifest read back afterwards.
 * Also guards the order the determinism of every format relies on: strictly increasing USCCs.
 */
export class Provenance implements ProvenanceSource {
  private readonly included = createHash('sha256');
  private readonly roster = createHash('sha256');
  private readonly out: WriteStream;
  private count = 0;
  private newest: string | null = null;
  private lastUscc: string | null = null;

  constructor(private readonly file: string) {
    this.out = createWriteStream(file, { encoding: 'utf8' });
  }

  async add(rows: readonly ExportRow[]): Promise<void> {
    let chunk = '';
    for (const row of rows) {
      if (this.lastUscc !== null && row.uscc <= this.lastUscc) {
        throw new Error(`rows out of order: ${row.uscc} after ${this.lastUscc}`);
      }
      this.lastUscc = row.uscc;
      this.count++;
      this.included.update(`${row.filingId}:${row.revision}:${row.verdict}\n`);
      this.roster.update(`${row.uscc}:${row.registryVersion}\n`);
      if (this.newest === null || row.validatedAt > this.newest) this.newest = row.validatedAt;
      const line: Line = [
        row.uscc,
        row.nameZh,
        row.filingId,
        row.revision,
        row.verdict,
        row.contentSha256,
        row.validatedAt,
        row.registryVersion,
      ];
      chunk += `${JSON.stringify(line)}\n`;
    }
    if (chunk && !this.out.write(chunk)) await once(this.out, 'drain');
  }

  /** Ends the list; call once, before reading entries back. */
  async close(): Promise<CutoffFacts> {
    await new Promise<void>((resolve, reject) =>
      this.out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    return {
      filings: this.count,
      includedSha256: this.included.digest('hex'),
      newestValidatedAt: this.newest,
      rosterSha256: this.roster.digest('hex'),
    };
  }

  async *entries(): AsyncIterable<ProvenanceEntry> {
    const lines = createInterface({ input: createReadStream(this.file, 'utf8'), crlfDelay: Infinity });
    for await (const text of lines) {
      if (!text) continue;
      const [uscc, nameZh, filingId, revision, verdict, contentSha256, validatedAt, registryVersion] = JSON.parse(
        text,
      ) as Line;
      yield { uscc, nameZh, filingId, revision, verdict, contentSha256, validatedAt, registryVersion };
    }
  }

  async dispose(): Promise<void> {
    if (!this.out.closed) this.out.destroy();
    await rm(this.file, { force: true });
  }
}
