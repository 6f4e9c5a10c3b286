import { formatDecimal } from '@huoju/domain';
import type { ExportRow, ExportSubject, ExportWriter, WrittenCounts } from './export-row';
import { FileOutput } from './file-output';
import { ParkTotals } from './park-totals';
import { SdmxCsvSerializer } from './sdmx-csv';

export const SDMX_DIMENSIONS = ['PARK', 'SUB_PARK', 'TIME_PERIOD', 'INDICATOR', 'MEASURE'] as const;

/**
 * The aggregates as SDMX-CSV 2.0: per park, sub-park and the park total (_T), each indicator in the form's
 * column order; MEASURE YTD is the figure as filed, summed (year-to-date on the monthly form, the period-end
 * level for stocks, the full year on the annual form); on the monthly form MEASURE M is the single month,
 * derived per enterprise and then summed. An observation is left out when no enterprise reported the
 * indicator, or (M) when some enterprise's previous month is missing.
 */
export class SdmxCsvWriter implements ExportWriter {
  private readonly output: FileOutput;
  private readonly totals: ParkTotals;
  private readonly serializer: SdmxCsvSerializer;
  private readonly withMonth: boolean;

  constructor(
    private readonly subject: ExportSubject,
    filename: string,
  ) {
    this.output = new FileOutput(filename);
    this.withMonth = subject.form.periodType === 'month';
    this.totals = new ParkTotals(subject.form, subject.period, this.withMonth);
    this.serializer = new SdmxCsvSerializer(subject.form.sdmxDataflow, SDMX_DIMENSIONS, 'I');
  }

  async writeRows(rows: readonly ExportRow[]): Promise<void> {
    for (const row of rows) this.totals.add(row);
  }

  async finish(): Promise<WrittenCounts> {
    const { form, period } = this.subject;
    await this.output.write(this.serializer.header());
    let observations = 0;
    const parkCodes = this.subject.park === 'all' ? this.totals.parkCodes() : [this.subject.park];
    for (const parkCode of parkCodes) {
      let chunk = '';
      for (const row of this.totals.rowsOf(parkCode)) {
        form.indicators.forEach((indicator, index) => {
          const ytd = row.ytd[index];
          if (ytd !== undefined) {
            chunk += this.serializer.observation(
              [parkCode, row.subParkCode, period.text, indicator.code, 'YTD'],
              formatDecimal(ytd),
            );
            observations++;
          }
          const month = row.month[index];
          if (this.withMonth && month !== undefined && month !== null) {
            chunk += this.serializer.observation(
              [parkCode, row.subParkCode, period.text, indicator.code, 'M'],
              formatDecimal(month),
            );
            observations++;
          }
        });
      }
      await this.output.write(chunk);
    }
    await this.output.close();
    return { observations };
  }

  async abort(): Promise<void> {
    this.output.destroy();
  }
}
