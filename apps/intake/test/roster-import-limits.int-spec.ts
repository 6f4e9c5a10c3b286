import { principals } from '@huoju/testing';
import { rosterTemplate } from '../src/registry/roster-file';
import { startTestIntake, type RunningIntake } from './intake.harness';
import { CSV, XLSX, postRoster, type ImportProblem } from './roster-file.fixture';
import { xlsxBomb } from './zip-bomb.fixture';

const MB = 1024 * 1024;

describe('roster import limits', () => {
  let intake: RunningIntake;

  beforeAll(async () => {
    intake = await startTestIntake();
  });

  afterAll(() => intake.stop());

  /** Posts through the real endpoint and measures the heap of this process, which runs the service too. */
  const post = async (file: Buffer, contentType: string) => {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const response = await postRoster<ImportProblem>(intake.url, file, { as: principals.admin, contentType });
    return { response, heapGrowth: process.memoryUsage().heapUsed - before };
  };

  const total = async () =>
    (await intake.http.get<{ total: number }>('/v1/enterprises?pageSize=1', { as: principals.admin })).body.total;

  it('refuses a zip-bomb XLSX (300 MB of shared strings in under 1 MB) without expanding it', async () => {
    const bomb = await xlsxBomb(await rosterTemplate('xlsx'), 300);
    expect(bomb.length).toBeLessThan(MB);
    const { response, heapGrowth } = await post(bomb, XLSX);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({
      code: 'IMPORT.INVALID',
      errorCount: 1,
      errors: [
        {
          code: 'IMPORT.FILE_TOO_LARGE',
          row: 1,
          messageZh: expect.stringContaining('XLSX'),
          messageEn: expect.stringContaining('zip bomb'),
        },
      ],
    });
    expect(heapGrowth).toBeLessThan(200 * MB);
    expect(await total()).toBe(0);
  });

  it('refuses 20 MB of line breaks at the row limit without a row object per line', async () => {
    const { response, heapGrowth } = await post(Buffer.alloc(20 * MB - 1024, '\n'), CSV);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({
      code: 'IMPORT.INVALID',
      errors: [{ code: 'IMPORT.TOO_MANY_ROWS', row: 50_002, messageZh: expect.stringContaining('50000') }],
    });
    expect(heapGrowth).toBeLessThan(200 * MB);
    expect(await total()).toBe(0);
  });
});
