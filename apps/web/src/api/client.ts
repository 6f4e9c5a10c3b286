import type { ResponseOf, RouteSpec } from '@huoju/contracts/http';
import type { z } from 'zod';
import { currentSession, expire, refresh } from './session';
import { ApiError, networkProblem, type Problem } from './problem';

export type Query = Record<string, string | number | boolean | undefined | null>;

type Input<S> = S extends z.ZodType ? z.input<S> : never;
/**
 * Path and query values travel as text and mostly come from the page's URL: any text or number may stand
 * where the contract reads a string (the service checks it and answers problem+json); the names are checked.
 */
type Loose<T> = { [K in keyof T]?: NonNullable<T[K]> extends string ? string | number : T[K] };
type SuccessStatus = 200 | 201 | 202 | 204;

/**
 * What a call of the route answers: the body of its success status as the contract declares it
 * (undefined for 204 or a file).
 */
export type ReplyOf<R extends RouteSpec> = {
  [S in keyof R['responses']]: S extends SuccessStatus ? ResponseOf<R, S> : never;
}[keyof R['responses']] extends infer T
  ? [T] extends [never]
    ? undefined
    : T
  : never;

/** What a call of the route sends: path parameters, query and body as the contract declares them. */
export type CallInput<R extends RouteSpec> = (R['params'] extends z.ZodType
  ? { readonly params: Required<Loose<Input<R['params']>>> }
  : { readonly params?: undefined }) &
  (R['query'] extends z.ZodType ? { readonly query?: Loose<Input<R['query']>> } : { readonly query?: undefined }) &
  (R['body'] extends z.ZodType ? { readonly body: Input<R['body']> } : { readonly body?: undefined }) & {
    readonly headers?: Readonly<Record<string, string>>;
  };

/** The route's path template (`/v1/filings/{id}`) with its parameters filled in, URL-encoded. */
export function pathOf(route: RouteSpec, params: object = {}): string {
  const values = params as Readonly<Record<string, unknown>>;
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined || value === null) throw new Error(`${route.operationId}: path parameter ${name} missing`);
    return encodeURIComponent(String(value as string | number));
  });
}

/** The route's URL: path and query string. */
export function urlOf<R extends RouteSpec>(route: R, input: CallInput<R>): string {
  return withQuery(pathOf(route, input.params ?? {}), (input.query ?? {}) as Query);
}

/**
 * One typed API call: the route of a contract's table (intakeRoutes, aggregationRoutes, torchExportRoutes)
 * gives method, path and the answer's type, so the console cannot drift from the services.
 */
export async function call<R extends RouteSpec>(route: R, input: CallInput<R>): Promise<ReplyOf<R>> {
  const body = input.body as unknown;
  const response = await request(urlOf(route, input), {
    method: route.method.toUpperCase(),
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...input.headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as ReplyOf<R>;
}

/** Sends a file as the body of a route that takes one (a roster file), answered with JSON. */
export async function upload<R extends RouteSpec>(
  route: R,
  input: CallInput<R>,
  file: Blob,
  type: string,
): Promise<ReplyOf<R>> {
  const response = await request(urlOf(route, input), {
    method: route.method.toUpperCase(),
    headers: { 'content-type': type, ...input.headers },
    body: await file.arrayBuffer(),
  });
  return (await response.json()) as ReplyOf<R>;
}

/** Downloads the file a route renders (CSV, XLSX). */
export function downloadRoute<R extends RouteSpec>(route: R, input: CallInput<R>, fallbackName: string): Promise<void> {
  return download(urlOf(route, input), {}, fallbackName);
}

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

/**
 * Every API call of the console: the bearer token from memory; a 401 refreshes once and retries,
 * else the session ends (the app then shows the sign-in page and comes back to the same URL).
 */
export async function request(path: string, init: RequestInit = {}, retried = false): Promise<Response> {
  const token = currentSession()?.accessToken;
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...init, headers });
  } catch (error) {
    throw networkProblem(error);
  }
  if (response.status === 401 && !retried) {
    const renewed = currentSession()?.via === 'api-key' ? undefined : await refresh();
    if (renewed) return request(path, init, true);
    expire();
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as Partial<Problem>;
    throw new ApiError(response.status, {
      status: response.status,
      code: body.code ?? `HTTP.${response.status}`,
      title: body.title ?? response.statusText,
      ...body,
    });
  }
  return response;
}

/** Downloads a file the API renders (CSV, XLSX) with the bearer token, saved under the server's name. */
async function download(path: string, query: Query, fallbackName: string): Promise<void> {
  const response = await request(withQuery(path, query));
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match?.[1] ? decodeURIComponent(match[1]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
