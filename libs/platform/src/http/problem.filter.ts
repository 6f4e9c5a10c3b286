import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { classifyFailure } from '../failures';
import { currentCorrelationId } from '../logging/correlation';
import { PROBLEM_CONTENT_TYPE, ProblemException } from './problem';

/** Renders every error as problem+json; an unexpected error is logged in full and shown without internals. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = toProblemException(exception);
    if (problem.status >= 500) this.logger.error({ err: exception, url: request.url }, 'unhandled error');
    // A refusal that says when to come back (rate limit, lockout) says it in the standard header too.
    const retryAfter = problem.extensions.retryAfter;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
    void reply
      .status(problem.status)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(problem.toProblem(request.url, currentCorrelationId()));
  }
}

export function toProblemException(exception: unknown): ProblemException {
  if (exception instanceof ProblemException) return exception;
  if (exception instanceof HttpException) {
    // Nest wraps Fastify's own refusals (body too large, malformed JSON) as HttpExceptions.
    return fastifyProblem(exception.getStatus(), undefined, exception.message);
  }
  const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode < 500) {
    return fastifyProblem(fastifyError.statusCode, fastifyError.code, fastifyError.message);
  }
  // A database or broker away for a moment (a restart, a failover) is said as such, with when to come back.
  if (classifyFailure(exception) === 'transient') {
    return new ProblemException(
      503,
      'SERVER.UNAVAILABLE',
      'Temporarily unavailable',
      'A service this request needs is restarting; try again in a moment.',
      [],
      '服务暂时不可用，请稍后重试',
      { retryAfter: 2 },
    );
  }
  return new ProblemException(
    500,
    'SERVER.UNEXPECTED',
    'Internal error',
    'Something went wrong on our side; it has been logged.',
  );
}

/** Errors Fastify raises before a route runs (body too large, malformed JSON, wrong content type). */
export function fastifyProblem(
  status: number,
  code: string | undefined,
  message: string | undefined,
): ProblemException {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ProblemException(413, 'REQUEST.TOO_LARGE', 'Payload too large', message, [], '请求体超过大小限制');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ProblemException(
        415,
        'REQUEST.MEDIA_TYPE',
        'Unsupported media type',
        message,
        [],
        '此接口不接受该内容类型（见接口文档）',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ProblemException(
        400,
        'REQUEST.MALFORMED_JSON',
        'Malformed JSON',
        message,
        [],
        '请求体不是合法的 JSON',
      );
    default:
      if (status === 413)
        return new ProblemException(413, 'REQUEST.TOO_LARGE', 'Payload too large', message, [], '请求体超过大小限制');
      if (status === 415)
        return new ProblemException(
          415,
          'REQUEST.MEDIA_TYPE',
          'Unsupported media type',
          message,
          [],
          '此接口不接受该内容类型（见接口文档）',
        );
      if (status === 400 && message?.includes('JSON')) {
        return new ProblemException(
          400,
          'REQUEST.MALFORMED_JSON',
          'Malformed JSON',
          message,
          [],
          '请求体不是合法的 JSON',
        );
      }
      return new ProblemException(status, httpCode(status), message ?? 'Request refused', message);
  }
}

function httpCode(status: number): string {
  const names: Record<number, string> = {
    400: 'REQUEST.BAD',
    401: 'AUTH.UNAUTHENTICATED',
    403: 'AUTH.FORBIDDEN',
    404: 'ROUTE.NOT_FOUND',
    405: 'ROUTE.METHOD_NOT_ALLOWED',
    409: 'REQUEST.CONFLICT',
    413: 'REQUEST.TOO_LARGE',
    415: 'REQUEST.MEDIA_TYPE',
    429: 'REQUEST.RATE_LIMITED',
  };
  return names[status] ?? `HTTP.${status}`;
}
