import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { BodyOf, HeadersOf, ParamsOf, QueryOf, RouteSpec } from '@huoju/contracts/http';
import { ProblemException, type FieldError } from './problem';

/** A request after its route's contract checked it: every part typed by the route's schemas. */
export interface ValidRequest<R extends RouteSpec> {
  readonly params: ParamsOf<R>;
  readonly query: QueryOf<R>;
  readonly body: BodyOf<R>;
  readonly headers: HeadersOf<R>;
}

type Part = 'path' | 'query' | 'headers' | 'body';
const NO_QUERY = z.strictObject({});

/**
 * Validates path parameters, query string, headers and body against the route's contract and reports
 * every field error at once: 422 when only the body is wrong, 400 when the path, query or headers are
 * (a query parameter given twice, an id that is not a UUID). Pointers name the part: `/query/page`,
 * `/path/id`, `/headers/idempotency-key`; body fields are `/field` as before.
 */
export function validateRequest<R extends RouteSpec>(route: R, request: FastifyRequest): ValidRequest<R> {
  const errors: FieldError[] = [];
  const check = (part: Part, schema: z.ZodType | undefined, value: unknown): unknown => {
    if (!schema) return value;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    errors.push(...fieldErrors(result.error, value, part === 'body' ? '' : `/${part}`, part));
    return undefined;
  };
  const params = check('path', route.params, request.params ?? {});
  const query = check('query', route.query ?? NO_QUERY, request.query ?? {});
  const headers = check('headers', route.headers, request.headers);
  const body = route.body ? check('body', route.body, request.body) : undefined;
  if (errors.length > 0) {
    const onlyBody = errors.every((error) => !/^\/(path|query|headers)(\/|$)/.test(error.pointer));
    throw onlyBody
      ? new ProblemException(
          422,
          'REQUEST.INVALID',
          'Unprocessable request',
          'The request has errors; every one is listed.',
          errors,
          '请求有误，所有问题已一并列出',
        )
      : new ProblemException(
          400,
          'REQUEST.INVALID_PARAMETERS',
          'Bad request',
          'The path, query string or headers have errors; every one is listed.',
          errors,
          '请求的路径、查询参数或请求头有误，所有问题已一并列出',
        );
  }
  return { params, query, body, headers } as ValidRequest<R>;
}

/** `@Valid(routes.submitFiling) input: ValidRequest<typeof routes.submitFiling>` in a controller method. */
export const Valid = createParamDecorator((route: RouteSpec, context: ExecutionContext) =>
  validateRequest(route, context.switchToHttp().getRequest<FastifyRequest>()),
);

/** Zod issues as field errors with a stable code and Chinese and English messages. */
export function fieldErrors(error: z.ZodError, input: unknown, prefix = '', part: Part = 'body'): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const at = `${prefix}${issue.path.map((key) => `/${escapePointer(String(key))}`).join('')}`;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) =>
        part === 'body'
          ? {
              pointer: `${at}/${escapePointer(key)}`,
              code: 'FIELD.UNKNOWN',
              messageZh: '未知字段',
              messageEn: 'Unknown field',
            }
          : {
              pointer: `${at}/${escapePointer(key)}`,
              code: 'PARAMETER.UNKNOWN',
              messageZh: '未知参数',
              messageEn: 'Unknown parameter',
            },
      );
    }
    return [{ pointer: at, ...describe(issue, valueAt(input, issue.path)) }];
  });
}

function describe(issue: z.core.$ZodIssue, value: unknown): Omit<FieldError, 'pointer'> {
  switch (issue.code) {
    case 'custom': {
      const params = issue.params as { code?: string; messageZh?: string; messageEn?: string } | undefined;
      if (params?.code && params.messageZh && params.messageEn)
        return { code: params.code, messageZh: params.messageZh, messageEn: params.messageEn };
      return { code: 'FIELD.INVALID', messageZh: '取值无效', messageEn: 'Invalid value' };
    }
    case 'invalid_type':
      if (value === undefined) return { code: 'FIELD.REQUIRED', messageZh: '缺少必填项', messageEn: 'Required' };
      if (Array.isArray(value) && issue.expected !== 'array')
        return {
          code: 'PARAMETER.REPEATED',
          messageZh: '该参数只能出现一次',
          messageEn: 'Give this parameter once',
        };
      return {
        code: 'FIELD.TYPE',
        messageZh: `类型错误，应为 ${issue.expected}`,
        messageEn: `Wrong type: expected ${issue.expected}`,
      };
    case 'too_big':
      return issue.origin === 'string'
        ? {
            code: 'FIELD.TOO_LONG',
            messageZh: `最多 ${String(issue.maximum)} 个字符`,
            messageEn: `At most ${String(issue.maximum)} characters`,
          }
        : {
            code: 'FIELD.TOO_BIG',
            messageZh: `不能超过 ${String(issue.maximum)}`,
            messageEn: `At most ${String(issue.maximum)}`,
          };
    case 'too_small':
      return issue.origin === 'string'
        ? {
            code: 'FIELD.TOO_SHORT',
            messageZh: `至少 ${String(issue.minimum)} 个字符`,
            messageEn: `At least ${String(issue.minimum)} characters`,
          }
        : {
            code: 'FIELD.TOO_SMALL',
            messageZh: `不能小于 ${String(issue.minimum)}`,
            messageEn: `At least ${String(issue.minimum)}`,
          };
    case 'invalid_value':
      return {
        code: 'FIELD.VALUE',
        messageZh: `可选值：${issue.values.map(String).join('、')}`,
        messageEn: `One of: ${issue.values.map(String).join(', ')}`,
      };
    case 'invalid_format':
      return { code: 'FIELD.FORMAT', messageZh: '格式不正确', messageEn: `Not a valid ${issue.format}` };
    default:
      return { code: 'FIELD.INVALID', messageZh: '取值无效', messageEn: 'Invalid value' };
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
