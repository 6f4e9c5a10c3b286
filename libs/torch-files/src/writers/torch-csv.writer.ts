import { csvRecord, UTF8_BOM } from './csv';
import { canonicalDecimal, enterpriseCells, enterpriseHeader } from './cell-values';
import type { ExportRow, ExportSubject, ExportWriter, WrittenCounts } from './export-row';
import { FileOutput } from './file-output';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

/**
 * The enterprise sheet as CSV: UTF-8 with a BOM (so Excel opens the Chinese headers correctly), RFC 4180
 * quoting, CRLF. Figures are the canonical exact decimals; a blank field means "not reported".
 */
export class TorchCsvWriter implements ExportWriter {
  private readonly output: FileOutput;
  private enterprises = 0;
  private readonly started: Promise<void>;

  constructor(
    private readonly subject: ExportSubject,
    filename: string,
  ) {
    this.output = new FileOutput(filename);
    this.started = this.output.write(UTF8_BOM + csvRecord(enterpriseHeader(subject.form)));
  }

  async writeRows(rows: readonly ExportRow[]): Promise<void> {
    await this.started;
    const codes = this.subject.form.indicators.map((indicator) => indicator.code);
    let chunk = '';
    for (const row of rows) {
      const record = enterpriseCells(row, this.subject);
      for (const code of codes) {
        const value = row.values[code];
        record.push(value === undefined ? '' : canonicalDecimal(value));
      }
      // One call per record: measured, csv-stringify is no faster given a whole batch at once.
      chunk += csvRecord(record);
    }
    this.enterprises += rows.length;
    await this.output.write(chunk);
  }

  async finish(): Promise<WrittenCounts> {
    await this.started;
    await this.output.close();
    return { enterprises: this.enterprises };
  }

  async abort(): Promise<void> {
    this.output.destroy();
  }
}
