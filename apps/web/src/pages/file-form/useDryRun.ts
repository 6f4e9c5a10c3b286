import { useEffect, useState } from 'react';
import { intakeRoutes } from '@huoju/contracts/http';
import { call } from '../../api/client';
import type { ApiError } from '../../api/problem';
import type { DryRun, Explanation } from '../../api/types';

export interface Submission {
  readonly formId: string;
  readonly period: string;
  readonly values: Record<string, string>;
  readonly explanations: Explanation[];
}

/** The dry run (POST /v1/filings:validate) of what is on screen, 500 ms after the last keystroke. */
export function useDryRun(submission: Submission, enabled: boolean) {
  const [result, setResult] = useState<DryRun>();
  const [problem, setProblem] = useState<ApiError>();
  const [checking, setChecking] = useState(false);
  const key = JSON.stringify(submission);
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      setChecking(true);
      call(intakeRoutes.validateFiling, { body: JSON.parse(key) as Submission })
        .then((answer) => {
          if (cancelled) return;
          setResult(answer);
          setProblem(undefined);
        })
        .catch((error: ApiError) => {
          if (cancelled) return;
          setResult(undefined);
          setProblem(error);
        })
        .finally(() => !cancelled && setChecking(false));
    }, 500);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key, enabled]);
  return { result, problem, checking };
}

/** Values as the API takes them: decimal strings, blanks left out. */
export function filledValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .map(([code, value]) => [code, value.trim().replace(/,/g, '')] as const)
      .filter(([, value]) => value !== ''),
  );
}
