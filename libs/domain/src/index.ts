export * from './decimal';
export * from './period';
export * from './catalog';
export * from './rules';
export * from './identifiers';
export * from './reference';
export * from './aggregation';
export * from './spreadsheet/formula-text';
