import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { formVersionFor } from '@huoju/domain';
import { bearer, eventually, principals } from '@huoju/testing';
import { EXPORT_FILE_STORE, type ExportFileStore } from '../src/export/file-store/export-file-store';
import { EXPORT_FILE_CHUNK_BYTES, PostgresExportFileStore } from '../src/export/file-store/postgres-export-file-store';
import { enterpriseChanged, uscc, verdict, type FixtureEnterprise } from './torch-export.fixtures';
import { startTestTorchExport, type RunningTorchExport } from './torch-export.harness';

const form = formVersionFor('torch-monthly', '2026-09')!;
const coreTeam = principals.park('CORE');
const enterprise: FixtureEnterprise = {
  uscc: uscc(71),
  nameZh: '上海张江存储测试有限公司',
  industryCode: 'C3973',
  parkCode: 'CORE',
  subParkCode: 'CORE-ZJ',
  streetCode: '310115125',
};

/** Deterministic bytes in pieces of odd sizes, so chunk boundaries never line up with the pieces. */
function* pieces(total: number): Generator<Buffer> {
  let written = 0;
  for (let i = 0; written < total; i++) {
    const size = Math.min(total - written, 65_537 + ((i * 7919) % 50_000));
    const piece = Buffer.alloc(size);
    for (let j = 0; j < size; j++) piece[j] = (written + j) % 251;
    written += size;
    yield piece;
  }
}

async function digest(content: Readable): Promise<{ sha256: string; bytes: number; largestRead: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let largestRead = 0;
  for await (const chunk of content) {
    const buffer = chunk as Buffer;
    hash.update(buffer);
    bytes += buffer.length;
    largestRead = Math.max(largestRead, buffer.length);
  }
  return { sha256: hash.digest('hex'), bytes, largestRead };
}

describe(PostgresExportFileStore.name, () => {
  let first: RunningTorchExport;
  let second: RunningTorchExport | undefined;

  beforeAll(async () => {
    first = await startTestTorchExport();
    await first.publish('registry.enterprise-changed.v1', enterprise.uscc, enterpriseChanged(enterprise));
    await first.publish(
      'filing.validated.v1',
      enterprise.uscc,
      verdict({
        uscc: enterprise.uscc,
        period: '2026-09',
        revision: 1,
        outcome: 'accepted',
        values: { qc05_0: '1500.25', qd01: '32' },
        validatedAt: '2026-10-05T02:00:00.000Z',
      }),
    );
    await eventually(async () => {
      const [row] = await first.query<{ n: string }>('SELECT count(*)::text AS n FROM torch_export.accepted_filing');
      return row!.n === '1';
    });
  });

  afterAll(async () => {
    await first.stop({ keepData: second !== undefined }).catch(() => undefined);
    await second?.stop();
  });

  it('serves a file and manifest one instance wrote through another instance, with nothing left on either disk', async () => {
    const job = await first.exportAndWait(coreTeam, {
      formId: form.formId,
      period: '2026-09',
      park: 'CORE',
      format: 'xlsx',
    });
    const written = await first.download(job.id, coreTeam);
    expect(written.status).toBe(200);

    second = await startTestTorchExport({}, first.namespace);
    const served = await second.download(job.id, coreTeam);
    expect(served.status).toBe(200);
    expect(served.headers.get('etag')).toBe(`"${job.file!.sha256}"`);
    expect(createHash('sha256').update(served.bytes).digest('hex')).toBe(job.file!.sha256);
    expect(served.bytes).toEqual(written.bytes);

    const manifest = await fetch(`${second.url}/v1/exports/${job.id}/manifest`, {
      headers: { authorization: await bearer(coreTeam) },
    });
    expect(manifest.status).toBe(200);
    const body = (await manifest.json()) as { exportId: string; file: { sha256: string } };
    expect(body.exportId).toBe(job.id);
    expect(body.file.sha256).toBe(job.file!.sha256);

    // The scratch directories are only for writing: the store holds the files.
    expect(await readdir(first.exportDir)).toEqual([]);
    expect(await readdir(second.exportDir)).toEqual([]);
  });

  it("streams a file of many chunks written by one instance's store out of another's, chunk by chunk", async () => {
    const total = 5 * EXPORT_FILE_CHUNK_BYTES + 12_345;
    const writer = first.app.get<ExportFileStore>(EXPORT_FILE_STORE);
    const reader = second!.app.get<ExportFileStore>(EXPORT_FILE_STORE);
    const expected = createHash('sha256');
    for (const piece of pieces(total)) expected.update(piece);

    const stored = await writer.put('large.bin', Readable.from(pieces(total)));
    expect(stored).toEqual({ bytes: total, sha256: expected.digest('hex') });
    const [chunks] = await first.query<{ n: number; largest: number }>(
      `SELECT count(*)::int AS n, max(octet_length(data))::int AS largest FROM torch_export.export_file_chunk WHERE key = 'large.bin'`,
    );
    expect(chunks).toEqual({ n: 6, largest: EXPORT_FILE_CHUNK_BYTES });

    const opened = await reader.open('large.bin');
    expect(opened!.file).toEqual(stored);
    const read = await digest(opened!.content);
    expect({ sha256: read.sha256, bytes: read.bytes }).toEqual(stored);
    // A reader holds at most one chunk at a time, whatever the file's size.
    expect(read.largestRead).toBeLessThanOrEqual(EXPORT_FILE_CHUNK_BYTES);

    // Writing the key again replaces the content whole.
    const replaced = await writer.put('large.bin', Readable.from([Buffer.from('small')]));
    expect(replaced.bytes).toBe(5);
    expect((await digest((await reader.open('large.bin'))!.content)).bytes).toBe(5);
    await reader.delete(['large.bin', 'never-written.bin']);
    expect(await reader.open('large.bin')).toBeUndefined();
  });

  it('answers 410 problem+json when the file of a completed export is no longer stored', async () => {
    const job = await second!.exportAndWait(coreTeam, {
      formId: form.formId,
      period: '2026-09',
      park: 'CORE',
      format: 'csv',
    });
    await second!.app.get<ExportFileStore>(EXPORT_FILE_STORE).delete([`${job.id}.csv`]);
    const gone = await fetch(`${second!.url}/v1/exports/${job.id}/file`, {
      headers: { authorization: await bearer(coreTeam) },
    });
    expect(gone.status).toBe(410);
    expect(gone.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await gone.json()) as { code: string }).code).toBe('EXPORT.FILE_GONE');
  });
});
