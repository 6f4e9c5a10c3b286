// Browser-safe: this folder imports only zod. The web console and the services share it.
export * from './route';
export * from './problem.http';
export * from './common.http';
export * from './forms.http';
export * from './filings.http';
export * from './registry.http';
export * from './api-keys.http';
export * from './aggregates.http';
export * from './rollups.http';
export * from './targets.http';
export * from './compliance.http';
export * from './exports.http';
export * from './intake.routes';
export * from './aggregation.routes';
export * from './torch-export.routes';
export * from './openapi';
export * from './documents';
