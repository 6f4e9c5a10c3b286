import { SignJWT, importJWK } from 'jose';
import type { RouteSpec, RouteTable } from '@huoju/contracts/http';
import { TOKEN_ALGORITHM, TokenIssuer, generateSigningKey, type Principal, type Role } from '@huoju/platform';
import { TEST_SIGNING_KEY, testTokens } from './http-client';

/**
 * The authorization matrix: every bearer route of a service's contract table × every kind of bad token,
 * and × every role in its own, a foreign and a moved-away scope. Cells are plain data, run with bounded
 * concurrency against the real service; a failure names the cell and what came back.
 */

/** What a caller presents: a good token, or one of the ways a token is wrong. */
export const BAD_TOKENS = [
  'none',
  'malformed',
  'tampered',
  'expired',
  'revoked',
  'wrongAudience',
  'wrongIssuer',
  'unknownKid',
] as const;
export type BadToken = (typeof BAD_TOKENS)[number];

/** own: the caller's own street/park/enterprise; foreign: another's, named; moved: one that moved away from the caller. */
export type ScopeCase = 'own' | 'foreign' | 'moved';
export const SCOPE_CASES: readonly ScopeCase[] = ['own', 'foreign', 'moved'];

export interface MatrixRequest {
  readonly path: string;
  readonly body?: unknown;
  /** A body that is not JSON (a roster file), with its media type. */
  readonly raw?: { readonly text: string; readonly contentType: string };
}

/**
 * How to call one route for a caller of a role, per scope case. `undefined` for foreign/moved: the
 * route has no scope to reach outside of (a form, the caller's own identity).
 */
export type RouteCase = (role: Role, scope: ScopeCase) => MatrixRequest | undefined;

export interface MatrixCell {
  readonly name: string;
  readonly method: string;
  readonly request: MatrixRequest;
  /** A bad token's header, or the caller a fresh valid token is minted for. */
  readonly authorization?: string;
  readonly as?: Principal;
  /** Why the answer is wrong, or undefined when it is right. */
  readonly judge: (status: number, body: string) => string | undefined;
}

/** A placeholder for each path parameter, so that a bad-token cell reaches the guard on any route. */
const PLACEHOLDERS: Record<string, string> = {
  id: '00000000-0000-4000-8000-000000000000',
  uscc: '91310000MA1FL0000X',
  kind: 'park',
  code: 'PT',
  park: 'PT',
  formId: 'torch-monthly',
  revision: '1',
  username: 'someone',
};

function fillPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => PLACEHOLDERS[name] ?? 'x');
}

/** An Authorization header value for a bad token of a kind; the revoked subject must be revoked by the caller. */
export async function badAuthorization(
  kind: BadToken,
  principal: Principal,
  revokedSubject: string,
): Promise<string | undefined> {
  const now = new Date();
  switch (kind) {
    case 'none':
      return undefined;
    case 'malformed':
      return 'Bearer not.a.jwt';
    case 'tampered': {
      const [header, , signature] = (await testTokens.mint(principal, 900)).token.split('.');
      const claims = {
        sub: principal.subject,
        role: 'admin',
        scope: [],
        iss: 'huoju-intake',
        aud: ['intake', 'aggregation', 'torch-export'],
      };
      return `Bearer ${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    }
    case 'expired':
      return `Bearer ${(await testTokens.mint(principal, 60, { now: new Date(now.getTime() - 3_600_000) })).token}`;
    case 'revoked':
      return `Bearer ${(await testTokens.mint({ ...principal, subject: revokedSubject }, 900)).token}`;
    case 'wrongAudience':
      return `Bearer ${(await testTokens.mint(principal, 900, { audience: ['someone-else'] })).token}`;
    case 'wrongIssuer':
      return `Bearer ${(await new TokenIssuer(TEST_SIGNING_KEY, 'not-huoju').mint(principal, 900)).token}`;
    case 'unknownKid': {
      const stranger = generateSigningKey('stranger');
      const token = await new SignJWT({ role: principal.role, scope: [...principal.scope] })
        .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: stranger.kid, typ: 'JWT' })
        .setSubject(principal.subject)
        .setIssuer('huoju-intake')
        .setAudience(['intake', 'aggregation', 'torch-export'])
        .setIssuedAt()
        .setExpirationTime('15m')
        .sign(await importJWK(stranger, TOKEN_ALGORITHM));
      return `Bearer ${token}`;
    }
  }
}

const bearerRoutes = (table: RouteTable): RouteSpec[] =>
  Object.values(table).filter((route) => route.security.includes('bearer'));

/** Every bearer route × every bad token: 401, whatever the route. */
export async function badTokenCells(
  table: RouteTable,
  principal: Principal,
  revokedSubject: string,
): Promise<MatrixCell[]> {
  const cells: MatrixCell[] = [];
  for (const kind of BAD_TOKENS) {
    const authorization = await badAuthorization(kind, principal, revokedSubject);
    for (const route of bearerRoutes(table))
      cells.push({
        name: `${route.operationId} with a ${kind} token`,
        method: route.method.toUpperCase(),
        request: { path: fillPath(route.path), ...(route.body ? { body: {} } : {}) },
        authorization,
        judge: (status) => (status === 401 ? undefined : `expected 401, got ${status}`),
      });
  }
  return cells;
}

export interface ScopeMatrix<T extends RouteTable> {
  readonly table: T;
  /** One case per route of the table: a route added to the contract without a case fails the matrix. */
  readonly cases: { readonly [K in keyof T]: RouteCase };
  /** A caller of each role, scoped to the "own" side. */
  readonly callers: Readonly<Record<Role, Principal>>;
  /** Text that must never appear in a scoped caller's answer: what belongs to others (USCCs, codes as JSON values). */
  readonly foreignMarkers: readonly string[];
}

const SCOPED_ROLES: readonly Role[] = ['enterprise', 'street', 'park'];

/**
 * Every route × every role × own, foreign and moved-away scope. A role the route's contract does not
 * name is refused (403). A scoped caller naming a foreign scope is refused (403), never answered with an
 * empty page; in a moved-away scope it is refused or answered with its own data only. No answer to a
 * scoped caller carries a foreign marker, and none is a 401 or 5xx.
 */
export function scopeCells<T extends RouteTable>(matrix: ScopeMatrix<T>): MatrixCell[] {
  const missing = Object.keys(matrix.table).filter((operationId) => !(operationId in matrix.cases));
  if (missing.length > 0) throw new Error(`authorization matrix: no case for ${missing.join(', ')}`);
  const cells: MatrixCell[] = [];
  for (const route of bearerRoutes(matrix.table)) {
    const routeCase = matrix.cases[route.operationId as keyof T] as RouteCase;
    for (const [role, principal] of Object.entries(matrix.callers) as [Role, Principal][]) {
      const allowed = route.roles?.includes(role) ?? true;
      const scoped = SCOPED_ROLES.includes(role);
      for (const scope of SCOPE_CASES) {
        const request = routeCase(role, scope);
        if (!request) continue;
        cells.push({
          name: `${route.operationId} as ${role} in ${scope} scope`,
          method: route.method.toUpperCase(),
          request,
          as: principal,
          judge: (status, body) => {
            if (status >= 500) return `got ${status}`;
            if (status === 401) return 'got 401 with a valid token';
            if (!allowed) return status === 403 ? undefined : `role not allowed: expected 403, got ${status}`;
            if (scoped && scope === 'foreign') return status === 403 ? undefined : `expected 403, got ${status}`;
            if (status === 403 && !(scoped && scope === 'moved')) return 'refused in its own scope';
            if (scoped && status < 300) {
              const leaked = matrix.foreignMarkers.find((marker) => body.includes(marker));
              if (leaked) return `answered ${status} with another's data (${leaked})`;
            }
            return undefined;
          },
        });
      }
    }
  }
  return cells;
}

/** Runs cells against a service with at most `concurrency` requests in flight; returns every failure. */
export async function runMatrix(
  baseUrl: string,
  cells: readonly MatrixCell[],
  options: { concurrency?: number } = {},
): Promise<string[]> {
  const tokens = new Map<string, string>();
  for (const cell of cells)
    if (cell.as && !tokens.has(cell.as.subject))
      tokens.set(cell.as.subject, `Bearer ${(await testTokens.mint(cell.as, 900)).token}`);
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cells.length) {
      const cell = cells[next++]!;
      const headers: Record<string, string> = {};
      const authorization = cell.as ? tokens.get(cell.as.subject) : cell.authorization;
      if (authorization) headers.authorization = authorization;
      let body: string | undefined;
      if (cell.request.raw) {
        body = cell.request.raw.text;
        headers['content-type'] = cell.request.raw.contentType;
      } else if (cell.request.body !== undefined) {
        body = JSON.stringify(cell.request.body);
        headers['content-type'] = 'application/json';
      }
      try {
        const response = await fetch(`${baseUrl}${cell.request.path}`, { method: cell.method, headers, body });
        const text = await response.text();
        const verdict = cell.judge(response.status, text);
        if (verdict)
          failures.push(`${cell.name} (${cell.method} ${cell.request.path}): ${verdict}: ${text.slice(0, 200)}`);
      } catch (error) {
        failures.push(`${cell.name}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return failures;
}
