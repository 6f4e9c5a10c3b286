import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { ExportFileStore, StoredFile } from './export-file-store';
import { ExportFileRepository } from './export-file.repository';

/** Bytes per chunk row: large enough for few round trips, small enough that a reader holds little. */
export const EXPORT_FILE_CHUNK_BYTES = 1024 * 1024;

/**
 * Export files in torch-export's own schema, as bytea chunks (not large objects): they live and go with
 * the schema (a namespace's clean-up drops them, a DELETE frees them — large objects would need
 * lo_unlink and sit in the database-wide pg_largeobject), and a download reads one chunk per query, so it
 * holds neither a transaction nor a pool connection while the client is slow (reading a large object
 * needs a transaction open for the whole download). A file is written in one transaction: readers see
 * the whole file or none of it.
 */
@Injectable()
export class PostgresExportFileStore implements ExportFileStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly files: ExportFileRepository,
  ) {}

  async put(key: string, content: Readable): Promise<StoredFile> {
    return this.orm.em.fork().transactional(async (tx) => {
      await this.files.begin(tx, key);
      const hash = createHash('sha256');
      let bytes = 0;
      let seq = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async (limit: number) => {
        while (pendingBytes >= limit && pendingBytes > 0) {
          const joined = Buffer.concat(pending);
          const chunk = joined.subarray(0, EXPORT_FILE_CHUNK_BYTES);
          await this.files.appendChunk(tx, key, seq++, chunk);
          pending = chunk.length < joined.length ? [joined.subarray(chunk.length)] : [];
          pendingBytes = joined.length - chunk.length;
        }
      };
      for await (const piece of content) {
        const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as string);
        hash.update(buffer);
        bytes += buffer.length;
        pending.push(buffer);
        pendingBytes += buffer.length;
        await flush(EXPORT_FILE_CHUNK_BYTES);
      }
      await flush(1);
      const file = { bytes, sha256: hash.digest('hex') };
      await this.files.finish(tx, key, file, seq);
      return file;
    });
  }

  async open(key: string): Promise<{ file: StoredFile; content: Readable } | undefined> {
    const stored = await this.files.describe(this.orm.em.fork(), key);
    if (!stored) return undefined;
    const { files, orm } = this;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let seq = 0; seq < stored!.chunks; seq++) {
        const chunk = await files.chunk(orm.em.fork(), key, seq);
        if (!chunk) throw new Error(`export file ${key} changed while being read (chunk ${seq} missing)`);
        yield chunk;
      }
    }
    // objectMode off with a high-water mark of one chunk: the next query waits until the client took the last.
    const content = Readable.from(chunks(), { objectMode: false, highWaterMark: EXPORT_FILE_CHUNK_BYTES });
    return { file: { bytes: stored.bytes, sha256: stored.sha256 }, content };
  }

  async delete(keys: readonly string[]): Promise<void> {
    await this.files.delete(this.orm.em.fork(), keys);
  }
}
