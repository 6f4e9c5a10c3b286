import type { ProblemException } from '@huoju/platform';

/** The problem a use case rejects with, for unit tests that inspect its status, code and field errors. */
export async function problemOf(work: Promise<unknown>): Promise<ProblemException> {
  try {
    await work;
  } catch (error) {
    return error as ProblemException;
  }
  throw new Error('expected a problem');
}
