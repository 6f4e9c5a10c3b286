import { Readable } from 'node:stream';
import { createDeflateRaw, crc32, inflateRawSync } from 'node:zlib';

/** One part of a zip: its bytes, or chunks to deflate one at a time (so a huge part is never in memory). */
export interface ZipPart {
  readonly name: string;
  readonly data: Buffer | (() => Iterable<Buffer>);
  /** Writes this as the part's uncompressed size instead of the real one (a lying header). */
  readonly declaredSize?: number;
}

/** The parts of a zip as the central directory lists them (enough for exceljs's own files). */
export function unzipParts(bytes: Buffer): ZipPart[] {
  let eocd = bytes.length - 22;
  while (bytes.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const parts: ZipPart[] = [];
  let at = bytes.readUInt32LE(eocd + 16);
  for (let index = 0; index < bytes.readUInt16LE(eocd + 10); index++) {
    const nameLength = bytes.readUInt16LE(at + 28);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    const local = bytes.readUInt32LE(at + 42);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const compressed = bytes.subarray(start, start + bytes.readUInt32LE(at + 20));
    parts.push({ name, data: bytes.readUInt16LE(at + 10) === 0 ? compressed : inflateRawSync(compressed) });
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return parts;
}

/** A zip of deflated parts, sizes in the local headers (no data descriptors), as Excel writes it. */
export async function zipParts(parts: readonly ZipPart[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const chunks = Buffer.isBuffer(part.data) ? [part.data] : part.data();
    let crc = 0;
    let size = 0;
    const compressed: Buffer[] = [];
    const deflate = createDeflateRaw({ level: 9 });
    deflate.on('data', (chunk: Buffer) => compressed.push(chunk));
    const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
    for await (const chunk of Readable.from(chunks)) {
      crc = crc32(chunk as Buffer, crc);
      size += (chunk as Buffer).length;
      if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve));
    }
    deflate.end();
    await done;
    const data = Buffer.concat(compressed);
    const name = Buffer.from(part.name, 'utf8');
    const declared = part.declaredSize ?? size;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(8, 8);
    header.writeUInt32LE(crc >>> 0, 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(declared, 22);
    header.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc >>> 0, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(declared, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(header, name, data);
    central.push(entry, name);
    offset += header.length + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A shared-strings part of `megabytes` MB: one 64 KB string over and over, which deflate shrinks about 1000 times. */
export function sharedStringsBomb(megabytes: number): () => Iterable<Buffer> {
  return function* () {
    yield Buffer.from(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
    );
    const item = Buffer.from(`<si><t>${'x'.repeat(64 * 1024 - 16)}</t></si>`);
    for (let index = 0; index < megabytes * 16; index++) yield item;
    yield Buffer.from('</sst>');
  };
}

/** A real workbook (e.g. the roster template) whose shared strings are replaced by a bomb of `megabytes` MB. */
export async function xlsxBomb(workbook: Buffer, megabytes: number): Promise<Buffer> {
  return zipParts(
    unzipParts(workbook).map((part) =>
      part.name === 'xl/sharedStrings.xml' ? { name: part.name, data: sharedStringsBomb(megabytes) } : part,
    ),
  );
}
