import { TokenIssuer, generateSigningKey, publicJwkOf, type Principal } from '@huoju/platform';

/**
 * A key pair made fresh for each test process: services under test get the private key (intake) and the
 * public one (every service), so tests can mint tokens for any role. Nothing is committed.
 */
export const TEST_SIGNING_KEY = generateSigningKey('test');
export const TEST_JWKS = { keys: [publicJwkOf(TEST_SIGNING_KEY)] };
/** The environment that gives a service the test keys. */
export const TEST_AUTH_ENV = {
  AUTH_SIGNING_KEY: JSON.stringify(TEST_SIGNING_KEY),
  AUTH_JWKS: JSON.stringify(TEST_JWKS),
};
export const testTokens = new TokenIssuer(TEST_SIGNING_KEY);

/** Tokens a test mints live for the longest lifetime intake issues (15 min). */
export async function bearer(principal: Principal): Promise<string> {
  return `Bearer ${(await testTokens.mint(principal, 900)).token}`;
}

export const principals = {
  admin: { subject: 'test-admin', role: 'admin', scope: [] } as Principal,
  commission: { subject: 'test-commission', role: 'commission', scope: [] } as Principal,
  enterprise: (uscc: string): Principal => ({ subject: `test-${uscc}`, role: 'enterprise', scope: [uscc] }),
  park: (...parks: string[]): Principal => ({ subject: `test-park-${parks.join('-')}`, role: 'park', scope: parks }),
  street: (...streets: string[]): Principal => ({
    subject: `test-street-${streets.join('-')}`,
    role: 'street',
    scope: streets,
  }),
};

export interface JsonResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** A small JSON client for calling a service under test. */
export function httpClient(baseUrl: string) {
  async function call<T>(
    method: string,
    path: string,
    options: { as?: Principal; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<JsonResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as) headers.authorization = await bearer(options.as);
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (CSV, XLSX): keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }
  return {
    get: <T = unknown>(path: string, options?: Parameters<typeof call>[2]) => call<T>('GET', path, options),
    post: <T = unknown>(path: string, options?: Parameters<typeof call>[2]) => call<T>('POST', path, options),
    patch: <T = unknown>(path: string, options?: Parameters<typeof call>[2]) => call<T>('PATCH', path, options),
    put: <T = unknown>(path: string, options?: Parameters<typeof call>[2]) => call<T>('PUT', path, options),
  };
}

/** Services under test start their clock here: 20 Oct 2026 (Shanghai), when August and September 2026 are open. */
export const TEST_CLOCK_START = '2026-10-20T02:00:00.000Z';
