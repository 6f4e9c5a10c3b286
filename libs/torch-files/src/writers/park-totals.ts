import {
  parseDecimal,
  parks,
  singleMonthValue,
  subParks,
  type FormVersion,
  type Period,
  type Scaled,
} from '@huoju/domain';
import type { ExportRow } from './export-row';

/** The SDMX code (and summary-sheet code) of a park's total over its sub-parks. */
export const TOTAL = '_T';

/**
 * Per indicator: the exact sum over the enterprises that reported it; undefined when none did. For the
 * single-month measure, null when some reporting enterprise's month cannot be derived (its previous month
 * is missing), since a partial sum would look like a real figure.
 */
export interface TotalsRow {
  readonly subParkCode: string;
  readonly enterprises: number;
  readonly ytd: readonly (Scaled | undefined)[];
  readonly month: readonly (Scaled | null | undefined)[];
}

class Accumulator {
  enterprises = 0;
  readonly ytd: (Scaled | undefined)[];
  readonly month: (Scaled | null | undefined)[];

  constructor(size: number) {
    this.ytd = new Array<Scaled | undefined>(size).fill(undefined);
    this.month = new Array<Scaled | null | undefined>(size).fill(undefined);
  }

  merge(other: TotalsRow): void {
    this.enterprises += other.enterprises;
    other.ytd.forEach((value, index) => {
      if (value !== undefined) this.ytd[index] = (this.ytd[index] ?? 0n) + value;
    });
    other.month.forEach((value, index) => this.addMonth(index, value));
  }

  addMonth(index: number, value: Scaled | null | undefined): void {
    if (value === undefined) return;
    const held = this.month[index];
    this.month[index] = value === null || held === null ? null : (held ?? 0n) + value;
  }
}

/**
 * Totals per park and sub-park with the domain's semantics: values as filed (year-to-date on the monthly
 * form; level at period end for stocks) summed exactly across enterprises, and optionally the single month
 * derived per enterprise (singleMonthValue) before summing. Memory is per sub-park × indicator, never per row.
 */
export class ParkTotals {
  private readonly byPark = new Map<string, Map<string, Accumulator>>();

  constructor(
    private readonly form: FormVersion,
    private readonly period: Period,
    private readonly withMonth: boolean,
  ) {}

  add(row: ExportRow): void {
    let subParkMap = this.byPark.get(row.parkCode);
    if (!subParkMap) this.byPark.set(row.parkCode, (subParkMap = new Map()));
    let cell = subParkMap.get(row.subParkCode);
    if (!cell) subParkMap.set(row.subParkCode, (cell = new Accumulator(this.form.indicators.length)));
    cell.enterprises++;
    this.form.indicators.forEach((indicator, index) => {
      const text = row.values[indicator.code];
      if (text === undefined) return;
      const value = parseDecimal(text);
      cell.ytd[index] = (cell.ytd[index] ?? 0n) + value;
      if (!this.withMonth) return;
      const previousText = row.previousValues?.[indicator.code];
      const month = singleMonthValue(
        indicator,
        this.period.month,
        value,
        previousText === undefined ? undefined : parseDecimal(previousText),
      );
      cell.addMonth(index, month ?? null);
    });
  }

  /** Parks with at least one enterprise: reference order first, any other code after, sorted. */
  parkCodes(): string[] {
    return ordered(
      [...this.byPark.keys()],
      parks().map((park) => park.code),
    );
  }

  /** Every reference sub-park of the park (empty ones too, so the layout is stable), others after, then the total. */
  rowsOf(parkCode: string): TotalsRow[] {
    const held = this.byPark.get(parkCode) ?? new Map<string, Accumulator>();
    const codes = ordered(
      [...subParks(parkCode).map((sub) => sub.code), ...held.keys()],
      subParks(parkCode).map((sub) => sub.code),
    );
    const size = this.form.indicators.length;
    const rows = codes.map((code) => toRow(code, held.get(code) ?? new Accumulator(size)));
    const total = new Accumulator(size);
    for (const row of rows) total.merge(row);
    return [...rows, toRow(TOTAL, total)];
  }
}

function toRow(subParkCode: string, accumulator: Accumulator): TotalsRow {
  return {
    subParkCode,
    enterprises: accumulator.enterprises,
    ytd: [...accumulator.ytd],
    month: [...accumulator.month],
  };
}

function ordered(codes: readonly string[], reference: readonly string[]): string[] {
  const unique = [...new Set(codes)];
  const known = reference.filter((code) => unique.includes(code));
  const others = unique.filter((code) => !reference.includes(code)).sort();
  return [...known, ...others];
}
