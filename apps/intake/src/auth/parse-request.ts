import type { z } from 'zod';
import { validationProblem, type FieldError } from '@huoju/platform';

/**
 * Parses a body or query against its contract schema; every issue at once as a 422 field error with a
 * JSON pointer (query fields under /query). Repeated query parameters arrive as arrays and are refused here.
 */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, base = ''): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    pointer:
      `${base}/${issue.path.map((part) => String(part).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`.replace(
        /\/$/,
        '',
      ) || '/',
    code: `FIELD.${issue.code.toUpperCase()}`,
    messageEn: issue.message,
    messageZh: zhMessage(issue.code),
  }));
  throw validationProblem(errors);
}

function zhMessage(code: string): string {
  switch (code) {
    case 'invalid_type':
      return '类型不正确';
    case 'too_small':
      return '过短或过小';
    case 'too_big':
      return '过长或过大';
    case 'invalid_format':
      return '格式不正确';
    case 'invalid_value':
      return '取值不在允许范围内';
    case 'unrecognized_keys':
      return '含有不认识的字段';
    default:
      return '取值不正确';
  }
}
