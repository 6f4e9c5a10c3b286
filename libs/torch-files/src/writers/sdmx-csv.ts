import { csvRecord } from './csv';

/**
 * A small SDMX-CSV 2.0 data-message serializer (no TypeScript library writes SDMX). Layout per the field
 * guide: STRUCTURE, STRUCTURE_ID, ACTION, then the dimensions in DSD order, then OBS_VALUE; comma separated,
 * RFC 4180 quoting, CRLF; UTF-8 without BOM, since readers find the separator right after "STRUCTURE".
 * MIME type: application/vnd.sdmx.data+csv; version=2.0.0.
 */
export const SDMX_CSV_CONTENT_TYPE = 'application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8';

export interface SdmxDataflowRef {
  readonly agency: string;
  readonly id: string;
  readonly version: string;
}

/** I = information (loaded as append), A = append, R = replace, D = delete. */
export type SdmxAction = 'I' | 'A' | 'R' | 'D';

const CONCEPT_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;
const CODE_ID = /^[A-Za-z0-9_@$-]+$/;
const TIME_PERIOD =
  /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-S[12]|-W(0[1-9]|[1-4]\d|5[0-3])|-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))?$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const RESERVED = new Set([
  'STRUCTURE',
  'STRUCTURE_ID',
  'STRUCTURE_NAME',
  'ACTION',
  'SERIES_KEY',
  'OBS_KEY',
  'OBS_VALUE',
]);

export class SdmxCsvError extends Error {}

/** AGENCY:ID(VERSION), e.g. HUOJU:TORCH_MONTHLY(1.0). */
export function structureId(flow: SdmxDataflowRef): string {
  return `${flow.agency}:${flow.id}(${flow.version})`;
}

export class SdmxCsvSerializer {
  private readonly timeIndex: number;
  private readonly structure: string;

  /**
   * @param dimensions dimension IDs in DSD order; the one named TIME_PERIOD takes SDMX time periods
   *   (2026, 2026-03, 2026-Q1 …), every other one takes code IDs.
   */
  constructor(
    flow: SdmxDataflowRef,
    private readonly dimensions: readonly string[],
    private readonly action: SdmxAction = 'I',
  ) {
    for (const part of [flow.agency, flow.id]) {
      if (!CONCEPT_ID.test(part)) throw new SdmxCsvError(`not an SDMX id: ${JSON.stringify(part)}`);
    }
    if (!/^\d+(\.\d+){0,2}$/.test(flow.version))
      throw new SdmxCsvError(`not an SDMX version: ${JSON.stringify(flow.version)}`);
    if (dimensions.length === 0) throw new SdmxCsvError('a data message needs at least one dimension');
    for (const dimension of dimensions) {
      if (!CONCEPT_ID.test(dimension) || RESERVED.has(dimension))
        throw new SdmxCsvError(`not a usable dimension id: ${JSON.stringify(dimension)}`);
    }
    if (new Set(dimensions).size !== dimensions.length) throw new SdmxCsvError('dimension ids must be unique');
    this.timeIndex = dimensions.indexOf('TIME_PERIOD');
    this.structure = structureId(flow);
  }

  header(): string {
    return csvRecord(['STRUCTURE', 'STRUCTURE_ID', 'ACTION', ...this.dimensions, 'OBS_VALUE']);
  }

  /** One observation: the full key (one value per dimension, in order) and its value as an exact decimal. */
  observation(key: readonly string[], value: string): string {
    if (key.length !== this.dimensions.length) {
      throw new SdmxCsvError(
        `key ${JSON.stringify(key)} has ${key.length} values for ${this.dimensions.length} dimensions`,
      );
    }
    key.forEach((member, index) => {
      const valid = index === this.timeIndex ? TIME_PERIOD.test(member) : CODE_ID.test(member);
      if (!valid)
        throw new SdmxCsvError(
          `${this.dimensions[index]}: ${JSON.stringify(member)} is not a valid ${index === this.timeIndex ? 'time period' : 'code'}`,
        );
    });
    if (!DECIMAL.test(value)) throw new SdmxCsvError(`OBS_VALUE ${JSON.stringify(value)} is not a decimal number`);
    return csvRecord(['dataflow', this.structure, this.action, ...key, value]);
  }
}
