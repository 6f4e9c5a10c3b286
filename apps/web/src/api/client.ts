import { currentSession, expire, refresh } from './session';
import { ApiError, networkProblem, type Problem } from './problem';

export type Query = Record<string, string | number | boolean | undefined | null>;

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

export async function getJson<T>(path: string, query?: Query): Promise<T> {
  const response = await request(withQuery(path, query));
  return (await response.json()) as T;
}

export async function sendJson<T>(
  method: 'POST' | 'PUT' | 'PATCH',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await request(path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Downloads a file the API renders (CSV, XLSX) with the bearer token, saved under the server's name. */
export async function download(path: string, query: Query, fallbackName: string): Promise<void> {
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
