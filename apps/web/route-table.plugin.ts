import type { Plugin } from 'vite';
// Build time, in Node: Vite's config loader does not read tsconfig paths, so the contracts by their file path.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  AUDIT_ACTIONS,
  aggregationRoutes,
  intakeRoutes,
  torchExportRoutes,
  type RouteTable,
} from '../../libs/contracts/src/http/index';

const MODULE = '@huoju/contracts/http';
const RESOLVED = '\0huoju-route-table';

/**
 * The console calls routes by the shared contracts' tables but needs only their method and path at run time:
 * this plugin serves `@huoju/contracts/http` to the browser bundle as those tables reduced to
 * { operationId, method, path } (and a few plain constants), taken from the real contracts at build time. The types still come from the
 * full contracts (tsconfig paths), and zod's schemas — ~60 kB gzip — stay out of the first load.
 */
export function routeTablePlugin(): Plugin {
  return {
    name: 'huoju-route-table',
    enforce: 'pre',
    resolveId(source) {
      return source === MODULE ? RESOLVED : undefined;
    },
    load(id) {
      if (id !== RESOLVED) return undefined;
      const tables = { intakeRoutes, aggregationRoutes, torchExportRoutes };
      return [
        ...Object.entries(tables).map(([name, table]) => `export const ${name} = ${JSON.stringify(reduce(table))};`),
        // Plain constants the console lists (the audit log's action filter).
        `export const AUDIT_ACTIONS = ${JSON.stringify(AUDIT_ACTIONS)};`,
      ].join('\n');
    },
  };
}

function reduce(table: RouteTable): Record<string, { operationId: string; method: string; path: string }> {
  return Object.fromEntries(
    Object.entries(table).map(([key, { operationId, method, path }]) => [key, { operationId, method, path }]),
  );
}
