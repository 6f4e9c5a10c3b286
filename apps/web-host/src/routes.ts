/** Which service answers which API path prefix: the one-origin map of the console (the ingress uses the same). */
export type Upstream = 'intake' | 'aggregation' | 'torchExport';

export const API_ROUTES: readonly { readonly prefix: string; readonly upstream: Upstream }[] = [
  { prefix: '/v1/auth', upstream: 'intake' },
  { prefix: '/v1/accounts', upstream: 'intake' },
  { prefix: '/v1/api-keys', upstream: 'intake' },
  { prefix: '/v1/audit', upstream: 'intake' },
  { prefix: '/v1/forms', upstream: 'intake' },
  { prefix: '/v1/filings', upstream: 'intake' },
  { prefix: '/v1/enterprises', upstream: 'intake' },
  { prefix: '/v1/aggregates', upstream: 'aggregation' },
  { prefix: '/v1/rollups', upstream: 'aggregation' },
  { prefix: '/v1/targets', upstream: 'aggregation' },
  { prefix: '/v1/compliance', upstream: 'aggregation' },
  { prefix: '/v1/exports', upstream: 'torchExport' },
];
