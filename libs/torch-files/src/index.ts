// The Torch export files — XLSX, CSV, SDMX-CSV and the manifest — free of database and framework, so the
// export worker and the benchmark write them through the same code.
export * from './formats';
export * from './writers';
export { EMPTY_WORKBOOK_TIME } from './writers/deterministic-workbook';
export * from './export-pipeline';
export * from './manifest';
