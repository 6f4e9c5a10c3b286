import { aggregationRoutes } from './aggregation.routes';
import { intakeRoutes } from './intake.routes';
import { openApiDocument } from './openapi';
import type { RouteTable } from './route';
import { torchExportRoutes } from './torch-export.routes';

/** The HTTP services, each with its route table and what its OpenAPI document says about it. */
export const HTTP_SERVICES: Readonly<
  Record<'intake' | 'aggregation' | 'torch-export', { title: string; description: string; routes: RouteTable }>
> = {
  intake: {
    title: 'Huoju intake',
    description: 'Roster, Torch forms, filings with revisions and receipts (火炬统计 填报)',
    routes: intakeRoutes,
  },
  aggregation: {
    title: 'Huoju aggregation',
    description: 'Exact aggregates, roll-ups, targets and compliance (汇总、目标、催报)',
    routes: aggregationRoutes,
  },
  'torch-export': {
    title: 'Huoju torch-export',
    description: 'Torch XLSX, CSV and SDMX-CSV exports with manifests (火炬统计 导出)',
    routes: torchExportRoutes,
  },
};

export type HttpServiceName = keyof typeof HTTP_SERVICES;

/** The OpenAPI 3.1 document a service serves at /docs-json. */
export function serviceDocument(service: HttpServiceName, serverUrl = '/'): Record<string, unknown> {
  const { title, description, routes } = HTTP_SERVICES[service];
  return openApiDocument({ title, description, version: '1', serverUrl }, routes);
}
