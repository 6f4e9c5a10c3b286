import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, ProblemException } from './problem';

/**
 * Answers the requests Node's HTTP parser refuses before Fastify sees them (a URL or headers past the 16 KB
 * limit, a malformed request line, a client too slow to send its headers) with problem+json like every other
 * refusal, instead of Fastify's default plain JSON. Used as Fastify's clientErrorHandler.
 */
export function problemClientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  // The peer is gone: nothing to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) socket.write(clientErrorResponse(error.code));
  socket.destroy(error);
}

/** The raw HTTP/1.1 response for a parser error code (exported for its test). */
export function clientErrorResponse(code: string | undefined): string {
  const problem =
    code === 'HPE_HEADER_OVERFLOW'
      ? new ProblemException(
          431,
          'REQUEST.HEADERS_TOO_LARGE',
          'Request Header Fields Too Large',
          'The URL or the headers are longer than 16 KB; send long values in the body.',
          [],
          'URL 或请求头超过 16 KB；较长的内容请放在请求体中',
        )
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new ProblemException(
            408,
            'REQUEST.TIMEOUT',
            'Request Timeout',
            'The request was not sent in time.',
            [],
            '请求发送超时',
          )
        : new ProblemException(
            400,
            'REQUEST.MALFORMED',
            'Bad Request',
            'The request is not valid HTTP.',
            [],
            '请求不是有效的 HTTP 请求',
          );
  const body = JSON.stringify(problem.toProblem());
  return [
    `HTTP/1.1 ${problem.status} ${problem.title}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}
