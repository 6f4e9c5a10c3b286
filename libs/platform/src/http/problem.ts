/** One field's problem, pointing into the request body (RFC 6901 JSON pointer). */
export interface FieldError {
  readonly pointer: string;
  readonly code: string;
  readonly messageZh: string;
  readonly messageEn: string;
}

/** RFC 9457 problem details, with every field error at once and a stable code. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly detailZh?: string;
  readonly instance?: string;
  readonly correlationId?: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
const PROBLEM_BASE = 'https://huoju.zjpark.sh.cn/problems/';

/** A request the service refuses, rendered as problem+json by the HTTP layer. Never a 500. */
export class ProblemException extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors: readonly FieldError[] = [],
    readonly detailZh?: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${code}: ${detail ?? title}`);
  }

  toProblem(instance?: string, correlationId?: string): ProblemDetails {
    return {
      type: `${PROBLEM_BASE}${this.code.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      title: this.title,
      status: this.status,
      code: this.code,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.detailZh ? { detailZh: this.detailZh } : {}),
      ...(instance ? { instance } : {}),
      ...(correlationId ? { correlationId } : {}),
      ...(this.errors.length > 0 ? { errors: this.errors } : {}),
      ...this.extensions,
    };
  }
}

export function validationProblem(
  errors: readonly FieldError[],
  detail = 'The request has errors; every one is listed.',
): ProblemException {
  return new ProblemException(
    422,
    'REQUEST.INVALID',
    'Unprocessable request',
    detail,
    errors,
    '请求有误，所有问题已一并列出',
  );
}

export function notFound(code: string, what: string): ProblemException {
  return new ProblemException(404, code, 'Not found', `${what} was not found`);
}

export function forbidden(detail = 'Your role or scope does not allow this.'): ProblemException {
  return new ProblemException(403, 'AUTH.FORBIDDEN', 'Forbidden', detail, [], '您的角色或管辖范围无权执行此操作');
}
