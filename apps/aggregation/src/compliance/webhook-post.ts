import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

/**
 * POSTs to a checked webhook target over a connection to exactly the checked address: the socket's DNS
 * lookup answers with it (the name stays in Host and TLS SNI, so certificates are verified as usual).
 * Redirects are never followed. Resolves with the status code; the response body is discarded.
 */
export function postPinned(
  target: { readonly url: URL; readonly address: string; readonly family: 4 | 6 },
  options: { readonly timeoutMs: number; readonly headers: Record<string, string>; readonly body: string },
): Promise<number> {
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all)
      (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else callback(null, target.address, target.family);
  };
  const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const requestOptions: RequestOptions = {
    method: 'POST',
    lookup: pinned,
    headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
    signal: AbortSignal.timeout(options.timeoutMs),
  };
  return new Promise((resolve, reject) => {
    const outgoing = request(target.url, requestOptions, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
