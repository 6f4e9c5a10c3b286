import { z } from 'zod';

/** One field's problem: an RFC 6901 JSON pointer into the request (body, `/query/…`, `/path/…`), a stable code, zh + en. */
export const fieldErrorSchema = z
  .object({
    pointer: z.string(),
    code: z.string(),
    messageZh: z.string(),
    messageEn: z.string(),
  })
  .meta({ id: 'FieldError' });

/** RFC 9457 problem details with a stable `code` and, for bad input, every field error at once. */
export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.int().min(400).max(599),
    code: z.string().meta({ description: 'Stable machine-readable code, e.g. REQUEST.INVALID, FILING.NOT_FOUND' }),
    detail: z.string().optional(),
    detailZh: z.string().optional(),
    instance: z.string().optional(),
    correlationId: z.string().optional(),
    errors: z.array(fieldErrorSchema).optional(),
  })
  .meta({
    id: 'Problem',
    examples: [
      {
        type: 'https://huoju.zjpark.sh.cn/problems/request-invalid',
        title: 'Unprocessable request',
        status: 422,
        code: 'REQUEST.INVALID',
        detail: 'The request has errors; every one is listed.',
        detailZh: '请求有误，所有问题已一并列出',
        errors: [
          {
            pointer: '/period',
            code: 'FIELD.FORMAT',
            messageZh: '格式不正确',
            messageEn: 'Wrong format',
          },
        ],
      },
    ],
  });

export type FieldErrorBody = z.infer<typeof fieldErrorSchema>;
export type ProblemBody = z.infer<typeof problemSchema>;

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
