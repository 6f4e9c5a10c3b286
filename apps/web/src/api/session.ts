import { useSyncExternalStore } from 'react';
import type { IntakeRoutes, ResponseOf, RoleName } from '@huoju/contracts/http';
import { ApiError, networkProblem, type Problem } from './problem';

export type Role = RoleName;
/** Answer of sign-in and refresh (the refresh token travels only in the HttpOnly cookie). */
type SignInAnswer = ResponseOf<IntakeRoutes['signIn'], 200>;
type TokenAnswer = ResponseOf<IntakeRoutes['issueToken'], 200>;
export type Account = SignInAnswer['account'];

// The auth paths, checked against the contract at compile time (type-only: the session code is in the first
// bundle, which stays free of zod and the route tables).
const SIGN_IN: IntakeRoutes['signIn']['path'] = '/v1/auth/sign-in';
const TOKEN: IntakeRoutes['issueToken']['path'] = '/v1/auth/token';
const REFRESH: IntakeRoutes['refreshSession']['path'] = '/v1/auth/refresh';
const SIGN_OUT: IntakeRoutes['signOut']['path'] = '/v1/auth/sign-out';

export interface Session {
  readonly accessToken: string;
  readonly expiresAt: string;
  readonly account: Account;
  /** How the session was opened: people refresh through the cookie; an API key session cannot. */
  readonly via: 'password' | 'api-key';
}

// The access token lives in memory only (never localStorage); the refresh cookie is HttpOnly.
let current: Session | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

function publish(next: Session | undefined): void {
  current = next;
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = undefined;
  if (next?.via === 'password') {
    // Refresh a minute before expiry so a working user never meets a 401.
    const delay = Math.max(5_000, new Date(next.expiresAt).getTime() - Date.now() - 60_000);
    refreshTimer = setTimeout(() => void refresh(), delay);
  }
  for (const listener of listeners) listener();
}

export function currentSession(): Session | undefined {
  return current;
}

export function useSession(): Session | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}

async function post(path: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(path, { method: 'POST', credentials: 'same-origin', ...init });
  } catch (error) {
    throw networkProblem(error);
  }
}

async function problemOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as Partial<Problem>;
  return new ApiError(response.status, {
    status: response.status,
    code: body.code ?? `HTTP.${response.status}`,
    title: body.title ?? response.statusText,
    ...body,
  });
}

export async function signIn(username: string, password: string): Promise<Session> {
  const response = await post(SIGN_IN, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw await problemOf(response);
  const answer = (await response.json()) as SignInAnswer;
  const session: Session = { ...answer, via: 'password' };
  publish(session);
  return session;
}

/** Machine clients and integrators: an API key exchanged for a bearer token (POST /v1/auth/token). */
export async function signInWithApiKey(apiKey: string): Promise<Session> {
  const response = await post(TOKEN, { headers: { authorization: `ApiKey ${apiKey.trim()}` } });
  if (!response.ok) throw await problemOf(response);
  const { accessToken, expiresAt } = (await response.json()) as TokenAnswer;
  const claims = decodeClaims(accessToken);
  const session: Session = {
    accessToken,
    expiresAt,
    via: 'api-key',
    account: { username: claims.sub, displayName: claims.sub, role: claims.role, scope: claims.scope },
  };
  publish(session);
  return session;
}

let refreshing: Promise<Session | undefined> | undefined;

/** One refresh at a time; undefined when the cookie is missing or refused. */
export function refresh(): Promise<Session | undefined> {
  refreshing ??= (async () => {
    try {
      const response = await post(REFRESH);
      if (!response.ok) {
        if (current?.via !== 'api-key') publish(undefined);
        return undefined;
      }
      const answer = (await response.json()) as SignInAnswer;
      const session: Session = { ...answer, via: 'password' };
      publish(session);
      return session;
    } catch {
      return undefined;
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

export async function signOut(): Promise<void> {
  const token = current?.accessToken;
  publish(undefined);
  await post(SIGN_OUT, { headers: token ? { authorization: `Bearer ${token}` } : {} }).catch(() => undefined);
}

/** The session expired for good: drop it (the router then shows the sign-in page with ?next=). */
export function expire(): void {
  publish(undefined);
}

function decodeClaims(token: string): { sub: string; role: Role; scope: string[] } {
  const body = token.split('.')[0] ?? '';
  const json = atob(body.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as { sub: string; role: Role; scope: string[] };
}
