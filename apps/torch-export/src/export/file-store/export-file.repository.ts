import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { StoredFile } from './export-file-store';

/** SQL of the PostgreSQL export file store: one `export_file` row per key, its bytes in `export_file_chunk` rows. */
@Injectable()
export class ExportFileRepository {
  /** Starts (or restarts) the file under `key` inside the caller's transaction: the old content goes. */
  async begin(em: EntityManager, key: string): Promise<void> {
    await em.execute(`DELETE FROM export_file WHERE key = ?`, [key]);
    await em.execute(`INSERT INTO export_file (key, byte_size, sha256, chunks) VALUES (?, 0, '', 0)`, [key]);
  }

  async appendChunk(em: EntityManager, key: string, seq: number, data: Buffer): Promise<void> {
    await em.execute(`INSERT INTO export_file_chunk (key, seq, data) VALUES (?, ?, ?)`, [key, seq, data]);
  }

  async finish(em: EntityManager, key: string, file: StoredFile, chunks: number): Promise<void> {
    await em.execute(`UPDATE export_file SET byte_size = ?, sha256 = ?, chunks = ?, stored_at = now() WHERE key = ?`, [
      file.bytes,
      file.sha256,
      chunks,
      key,
    ]);
  }

  async describe(em: EntityManager, key: string): Promise<(StoredFile & { chunks: number }) | undefined> {
    const [row] = await em.execute<{ byte_size: string; sha256: string; chunks: number }[]>(
      `SELECT byte_size::text AS byte_size, sha256, chunks FROM export_file WHERE key = ?`,
      [key],
    );
    return row ? { bytes: Number(row.byte_size), sha256: row.sha256, chunks: row.chunks } : undefined;
  }

  /** One chunk, or undefined when the file was deleted (or replaced by a shorter one) while being read. */
  async chunk(em: EntityManager, key: string, seq: number): Promise<Buffer | undefined> {
    const [row] = await em.execute<{ data: Buffer }[]>(`SELECT data FROM export_file_chunk WHERE key = ? AND seq = ?`, [
      key,
      seq,
    ]);
    return row?.data;
  }

  async delete(em: EntityManager, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await em.execute(`DELETE FROM export_file WHERE key IN (SELECT jsonb_array_elements_text(?::jsonb))`, [
      JSON.stringify(keys),
    ]);
  }
}
