import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Options } from 'pino-http';

/** Credentials a request or response may carry; pino writes `[redacted]` in their place. */
export const REDACTED_HEADERS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

type RawRequest = IncomingMessage & { id?: string; originalUrl?: string };

function pathOf(request: IncomingMessage): string {
  return (request as RawRequest).originalUrl ?? request.url ?? '';
}

/** Probes and scrapes answer every few seconds; a line for each would drown the requests people make. */
const UNLOGGED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * pino-http options for one line per request (through nestjs-pino), on the service's own logger so the
 * line has its `service`, ISO time and `correlationId` fields. Fastify's request id is the correlation id
 * (taken from the caller's X-Correlation-Id or created), and @fastify/middie hands it to pino-http as `req.id`.
 */
export function requestLogging(logger: Logger): Options<IncomingMessage, ServerResponse> {
  return {
    logger,
    genReqId: (request) => (request as RawRequest).id ?? '',
    // In the line's own object, not a child binding: the logger's mixin may add the same key from the
    // request's async context, and pino merges the two objects into one, where bindings would repeat it.
    customSuccessObject: (request, _response, line: object) => ({ correlationId: (request as RawRequest).id, ...line }),
    customErrorObject: (request, _response, _error, line: object) => ({
      correlationId: (request as RawRequest).id,
      ...line,
    }),
    // Nest's Fastify middleware strips the matched path from `url`; `originalUrl` keeps it.
    autoLogging: { ignore: (request) => UNLOGGED_PATHS.test(pathOf(request)) },
    // A refused request (4xx) is the caller's business, as ordinary as a served one; only the service's own failures are errors.
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (request: { method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => ({
        method: request.method,
        url: request.url,
        headers: request.headers,
        remoteAddress: request.remoteAddress,
      }),
      res: (response: { statusCode: number; headers: Record<string, unknown> }) => ({
        statusCode: response.statusCode,
        headers: response.headers,
      }),
    },
  };
}
