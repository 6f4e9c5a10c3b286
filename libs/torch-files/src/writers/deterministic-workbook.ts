import ExcelJS from 'exceljs';

/** Time written into a workbook that has no filings to date it by (DOS zip times start in 1980). */
export const EMPTY_WORKBOOK_TIME = new Date('2000-01-01T00:00:00.000Z');

interface ZipArchive {
  append(source: unknown, data: { name: string; date?: Date }): unknown;
}

const stamped = new WeakSet<object>();

/**
 * exceljs's streaming writer with no clock in its output: every zip entry carries the workbook's `created`
 * time instead of "now" (archiver stamps entries as they are appended, the first two inside exceljs's own
 * constructor, which is why the stamping hooks the first parts it adds), and docProps/core.xml gets the same
 * time. Zip times are written in UTC (archiver's default), so the bytes do not depend on the host's zone.
 */
class DeterministicWorkbookWriter extends ExcelJS.stream.xlsx.WorkbookWriter {
  override addThemes(): Promise<void> {
    stampEntries(this);
    return super.addThemes();
  }

  override addOfficeRels(): Promise<void> {
    stampEntries(this);
    return super.addOfficeRels();
  }
}

function stampEntries(workbook: ExcelJS.stream.xlsx.WorkbookWriter): void {
  const zip = (workbook as unknown as { zip: ZipArchive }).zip;
  if (stamped.has(zip)) return;
  stamped.add(zip);
  const append = zip.append.bind(zip);
  const date = workbook.created;
  zip.append = (source, data) => append(source, { ...data, date });
}

export interface DeterministicWorkbookOptions {
  readonly filename: string;
  /** The cut-off time: written as created/modified and as every zip entry's time. */
  readonly time: Date;
  /** Deflate level; fixed here so the bytes do not follow a library default. */
  readonly compressionLevel?: number;
}

/** Options exceljs reads at run time but its typings omit (docProps). */
type WriterOptions = Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions> & {
  created: Date;
  modified: Date;
  creator: string;
  lastModifiedBy: string;
};

export function createDeterministicWorkbook(options: DeterministicWorkbookOptions): ExcelJS.stream.xlsx.WorkbookWriter {
  const writerOptions: WriterOptions = {
    filename: options.filename,
    useStyles: false,
    useSharedStrings: false,
    created: options.time,
    modified: options.time,
    creator: 'Huoju torch-export',
    lastModifiedBy: 'Huoju torch-export',
    zip: { zlib: { level: options.compressionLevel ?? 6 } },
  };
  return new DeterministicWorkbookWriter(writerOptions);
}
