/** An RFC 9457 problem as the services send it (libs/platform's ProblemDetails), read on the browser side. */
export interface FieldProblem {
  readonly pointer: string;
  readonly code: string;
  readonly messageZh: string;
  readonly messageEn: string;
}

export interface Problem {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail?: string;
  readonly detailZh?: string;
  readonly messageZh?: string;
  readonly messageEn?: string;
  readonly errors?: readonly FieldProblem[];
  readonly [extension: string]: unknown;
}

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
