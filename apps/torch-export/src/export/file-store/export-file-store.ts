import type { Readable } from 'node:stream';

/** What a store holds of one finished file. */
export interface StoredFile {
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Where finished export files and manifests live, readable by every instance of torch-export (a local
 * directory is not: a download served by another instance would find nothing). Both directions stream, so
 * memory stays flat whatever the file's size. PostgreSQL is the default (nothing more to run on this
 * machine); an S3-compatible store is a second implementation of this interface, chosen by
 * EXPORT_FILE_STORE in `exportFileStoreProvider`.
 */
export interface ExportFileStore {
  /** Stores the whole content under `key`, replacing what was there; visible to readers only once complete. */
  put(key: string, content: Readable): Promise<StoredFile>;
  /** The content of `key` as a stream, or undefined when nothing is stored under it. */
  open(key: string): Promise<{ file: StoredFile; content: Readable } | undefined>;
  /** Removes the keys; keys that are absent are ignored. */
  delete(keys: readonly string[]): Promise<void>;
}

export const EXPORT_FILE_STORE = Symbol('EXPORT_FILE_STORE');
