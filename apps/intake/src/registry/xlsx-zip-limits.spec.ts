import { rosterTemplate } from './roster-file';
import { XLSX_ZIP_LIMITS, checkXlsxZip } from './xlsx-zip-limits';
import { sharedStringsBomb, unzipParts, xlsxBomb, zipParts } from '../../test/zip-bomb.fixture';

describe(checkXlsxZip.name, () => {
  it('lets a workbook exceljs wrote through, and the same parts zipped again', async () => {
    const template = await rosterTemplate('xlsx');
    expect(await checkXlsxZip(template)).toBeUndefined();
    expect(await checkXlsxZip(await zipParts(unzipParts(template)))).toBeUndefined();
  });

  it('refuses a shared-strings part past its cap before anything is expanded', async () => {
    const bomb = await xlsxBomb(await rosterTemplate('xlsx'), 40);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await checkXlsxZip(bomb)).toEqual({ kind: 'too-large', part: 'xl/sharedStrings.xml' });
  });

  it('refuses a part or a whole past the caps', async () => {
    const template = await rosterTemplate('xlsx');
    const small = { ...XLSX_ZIP_LIMITS, maxEntryBytes: 2 * 1024 * 1024, maxTotalBytes: 3 * 1024 * 1024 };
    const sheet = await zipParts([
      ...unzipParts(template),
      { name: 'xl/worksheets/sheet9.xml', data: sharedStringsBomb(3) },
    ]);
    expect(await checkXlsxZip(sheet, small)).toEqual({ kind: 'too-large', part: 'xl/worksheets/sheet9.xml' });
    const two = await zipParts([
      ...unzipParts(template),
      { name: 'a.xml', data: sharedStringsBomb(2) },
      { name: 'b.xml', data: sharedStringsBomb(2) },
    ]);
    expect(await checkXlsxZip(two, { ...small, maxEntryBytes: 3 * 1024 * 1024 })).toEqual({
      kind: 'too-large',
      part: 'total',
    });
  });

  it('does not trust a header that under-states a part: it inflates at most one byte past the declared size', async () => {
    const lying = await zipParts([{ name: 'xl/sharedStrings.xml', data: sharedStringsBomb(64), declaredSize: 1000 }]);
    const before = process.memoryUsage().heapUsed;
    expect(await checkXlsxZip(lying)).toEqual({ kind: 'damaged' });
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('refuses bytes a streaming reader would see but the central directory does not list', async () => {
    const template = await rosterTemplate('xlsx');
    const hidden = await zipParts([{ name: 'hidden.xml', data: Buffer.from('<x/>') }]);
    // The hidden local entry sits before the listed ones; the directory's offsets are shifted past it.
    const parts = await zipParts(unzipParts(template));
    const shifted = Buffer.concat([hidden.subarray(0, hidden.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))), parts]);
    expect(await checkXlsxZip(shifted)).toEqual({ kind: 'damaged' });
    expect(await checkXlsxZip(Buffer.from('PK\u0003\u0004 not a zip'))).toEqual({ kind: 'damaged' });
  });
});
