import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A page's filters live in the URL (shareable, reopenable): read with defaults, write by merging.
 * Writing replaces the history entry so that Back leaves the page instead of undoing a filter.
 */
export function useUrlState<K extends string>(defaults: Record<K, string>) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(
    Object.entries(defaults).map(([key, fallback]) => [key, params.get(key) ?? fallback]),
  ) as Record<K, string>;
  const update = useCallback(
    (patch: Partial<Record<K, string | undefined>>) =>
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(patch) as [string, string | undefined][]) {
            if (value === undefined || value === '') next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [values, update] as const;
}
