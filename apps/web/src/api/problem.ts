import type { FieldErrorBody, ProblemBody } from '@huoju/contracts/http';

/** One field's error of a problem: the contract's FieldError (JSON pointer, code, zh + en message). */
export type FieldProblem = Readonly<FieldErrorBody>;

/**
 * An RFC 9457 problem as the services send it (the contract's Problem, extensions allowed), read on the
 * browser side. `type` may be missing: a proxy's error page or no answer at all is turned into a problem too.
 */
export type Problem = Readonly<
  Pick<ProblemBody, 'status' | 'code' | 'title' | 'detail' | 'detailZh' | 'instance' | 'correlationId'>
> & {
  readonly type?: string;
  readonly errors?: readonly FieldProblem[];
  /** Some services add the whole message in both languages as extensions. */
  readonly messageZh?: string;
  readonly messageEn?: string;
  readonly [extension: string]: unknown;
};

/** A failed call: an HTTP answer with a problem body, or no answer at all (network, service down). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${problem.code}: ${problem.detail ?? problem.title}`);
  }

  get unreachable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export function networkProblem(cause: unknown): ApiError {
  return new ApiError(0, {
    status: 0,
    code: 'NETWORK.UNREACHABLE',
    title: 'Service unreachable',
    detail: cause instanceof Error ? cause.message : String(cause),
  });
}

/** The problem's message in the user's language: the service's zh/en texts when it sent them. */
export function problemMessage(problem: Problem, language: string): string {
  const zh = language.startsWith('zh');
  if (zh) return problem.messageZh ?? problem.detailZh ?? problem.detail ?? problem.title;
  return problem.messageEn ?? problem.detail ?? problem.title;
}

export function fieldMessage(error: FieldProblem, language: string): string {
  return language.startsWith('zh') ? error.messageZh : error.messageEn;
}
