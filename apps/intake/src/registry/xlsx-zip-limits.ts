import { createInflateRaw } from 'node:zlib';

/**
 * How far an XLSX may expand. A 50,000-row roster of 15 columns is about 30 MB of sheet XML and 20 MB of
 * shared strings; exceljs keeps the whole shared-strings table in memory, so that part has the tighter cap.
 */
export interface XlsxZipLimits {
  readonly maxEntries: number;
  readonly maxSharedStringsBytes: number;
  readonly maxEntryBytes: number;
  readonly maxTotalBytes: number;
}

export const XLSX_ZIP_LIMITS: XlsxZipLimits = {
  maxEntries: 1_000,
  maxSharedStringsBytes: 32 * 1024 * 1024,
  maxEntryBytes: 128 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
};

/** Why a zip is refused before exceljs reads it: it is malformed, or it expands past a limit. */
export type ZipRefusal = { readonly kind: 'damaged' } | { readonly kind: 'too-large'; readonly part: string };

interface CentralEntry {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
const ZIP64_MARK = 0xffffffff;
const HAS_DESCRIPTOR = 0x08;
const STORED = 0;
const DEFLATED = 8;

/**
 * Checks a zip before a streaming reader (exceljs reads local headers in file order) expands it: the central
 * directory must describe every byte from the start (no entries hidden between the listed ones), every part
 * must inflate to exactly its declared size, and no part nor the whole may pass the limits. Inflating to count
 * keeps only one small chunk in memory at a time and stops as soon as a limit is passed, so a zip bomb costs
 * at most the limit in CPU and nothing in memory.
 */
export async function checkXlsxZip(
  bytes: Buffer,
  limits: XlsxZipLimits = XLSX_ZIP_LIMITS,
): Promise<ZipRefusal | undefined> {
  const entries = centralDirectory(bytes, limits.maxEntries);
  if (entries === 'too-many') return { kind: 'too-large', part: 'entries' };
  if (!entries) return { kind: 'damaged' };
  let total = 0;
  let expectedOffset = 0;
  for (const entry of [...entries].sort((a, b) => a.localOffset - b.localOffset)) {
    if (!contiguous(entry.localOffset, expectedOffset)) return { kind: 'damaged' };
    const dataStart = localDataStart(bytes, entry.localOffset);
    if (dataStart === undefined || dataStart + entry.compressedSize > bytes.length) return { kind: 'damaged' };
    const data = bytes.subarray(dataStart, dataStart + entry.compressedSize);
    // A streaming reader ends such an entry at the first descriptor signature: one inside would start a hidden entry.
    if (entry.flags & HAS_DESCRIPTOR && data.indexOf(DESCRIPTOR) !== -1) return { kind: 'damaged' };
    const cap = entry.name === 'xl/sharedStrings.xml' ? limits.maxSharedStringsBytes : limits.maxEntryBytes;
    if (entry.uncompressedSize > cap) return { kind: 'too-large', part: entry.name };
    total += entry.uncompressedSize;
    if (total > limits.maxTotalBytes) return { kind: 'too-large', part: 'total' };
    const actual = await inflatedSize(data, entry.method, entry.uncompressedSize);
    if (actual !== entry.uncompressedSize) return { kind: 'damaged' };
    expectedOffset = dataStart + entry.compressedSize;
  }
  return undefined;
}

function contiguous(offset: number, expected: number): boolean {
  // A data descriptor (12 bytes, or 16 with its optional signature) may follow the previous entry's data.
  return offset === expected || offset === expected + 12 || offset === expected + 16;
}

function centralDirectory(bytes: Buffer, maxEntries: number): CentralEntry[] | 'too-many' | undefined {
  const eocd = findEndOfCentralDirectory(bytes);
  if (eocd === undefined) return undefined;
  const count = bytes.readUInt16LE(eocd + 10);
  const offset = bytes.readUInt32LE(eocd + 16);
  // Zip64 is for files beyond 4 GB or 65,535 entries: no roster needs it.
  if (count === 0xffff || offset === ZIP64_MARK) return 'too-many';
  if (count > maxEntries) return 'too-many';
  const entries: CentralEntry[] = [];
  let at = offset;
  for (let index = 0; index < count; index++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) return undefined;
    const nameLength = bytes.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    if (next > bytes.length) return undefined;
    const entry: CentralEntry = {
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
      flags: bytes.readUInt16LE(at + 8),
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      uncompressedSize: bytes.readUInt32LE(at + 24),
      localOffset: bytes.readUInt32LE(at + 42),
    };
    if (entry.compressedSize === ZIP64_MARK || entry.uncompressedSize === ZIP64_MARK) return 'too-many';
    entries.push(entry);
    at = next;
  }
  return entries;
}

function findEndOfCentralDirectory(bytes: Buffer): number | undefined {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) if (bytes.readUInt32LE(at) === EOCD) return at;
  return undefined;
}

function localDataStart(bytes: Buffer, offset: number): number | undefined {
  if (offset + 30 > bytes.length || bytes.readUInt32LE(offset) !== LOCAL) return undefined;
  return offset + 30 + bytes.readUInt16LE(offset + 26) + bytes.readUInt16LE(offset + 28);
}

/** The inflated size, counted chunk by chunk; stops one byte past `declared`, so a lying header costs no more. */
function inflatedSize(data: Buffer, method: number, declared: number): Promise<number | undefined> {
  if (method === STORED) return Promise.resolve(data.length);
  if (method !== DEFLATED) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const inflate = createInflateRaw();
    let size = 0;
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > declared) {
        inflate.destroy();
        resolve(size);
      }
    });
    inflate.on('error', () => resolve(undefined));
    inflate.on('end', () => resolve(size));
    inflate.end(data);
  });
}
