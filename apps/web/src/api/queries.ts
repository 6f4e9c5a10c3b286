// The console's data access: one hook per API read, so pages never build URLs or parse bodies themselves.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson, type Query } from './client';
import type {
  Compliance,
  Filing,
  FormDefinition,
  FormRules,
  Page,
  FilingSummary,
  RevisionDetail,
  Trend,
} from './types';

export function useFormDefinition(formId: string, period?: string) {
  return useQuery({
    queryKey: ['form', formId, period],
    queryFn: () => getJson<FormDefinition>(`/v1/forms/${encodeURIComponent(formId)}`, { period }),
    staleTime: 3_600_000,
  });
}

export function useFormRules(formId: string) {
  return useQuery({
    queryKey: ['rules', formId],
    queryFn: () => getJson<FormRules>(`/v1/forms/${encodeURIComponent(formId)}/rules`),
    staleTime: 3_600_000,
  });
}

export function useFilings(query: Query) {
  return useQuery({
    queryKey: ['filings', query],
    queryFn: () => getJson<Page<FilingSummary>>('/v1/filings', query),
    placeholderData: keepPreviousData,
  });
}

/** A filing; polled while validation is still running, so its status changes on screen by itself. */
export function useFiling(id: string) {
  return useQuery({
    queryKey: ['filing', id],
    queryFn: () => getJson<Filing>(`/v1/filings/${encodeURIComponent(id)}`),
    refetchInterval: (query) => (query.state.data?.status === 'received' ? 1_000 : 15_000),
  });
}

export function useRevision(id: string, revision: number | undefined) {
  return useQuery({
    queryKey: ['revision', id, revision],
    queryFn: () => getJson<RevisionDetail>(`/v1/filings/${encodeURIComponent(id)}/revisions/${revision}`),
    enabled: revision !== undefined,
    staleTime: Infinity,
  });
}

/** The compliance view refreshes itself every few seconds: the team sees filings arrive without reloading. */
export function useCompliance(query: Query, enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['compliance', query],
    queryFn: () => getJson<Compliance>('/v1/compliance', query),
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
  });
}

export function useTrend(query: Query) {
  return useQuery({
    queryKey: ['trend', query],
    queryFn: () => getJson<Trend>('/v1/compliance/trend', query),
    refetchInterval: 30_000,
  });
}

export function useJson<T>(
  path: string,
  query: Query = {},
  options: { enabled?: boolean; refetchInterval?: number } = {},
) {
  return useQuery({
    queryKey: [path, query],
    queryFn: () => getJson<T>(path, query),
    placeholderData: keepPreviousData,
    ...options,
  });
}

/**
 * The newest period of a form as the services see it (their clock, not the browser's): the last point of
 * the compliance trend. Pages use it when the URL names no period.
 */
export function useLatestPeriod(form: string, explicit: string): { period: string; pending: boolean } {
  const trend = useQuery({
    queryKey: ['latest-period', form],
    queryFn: () => getJson<Trend>('/v1/compliance/trend', { form, periods: 1 }),
    enabled: !explicit,
    staleTime: 60_000,
  });
  const latest = trend.data?.points[trend.data.points.length - 1]?.period ?? '';
  return { period: explicit || latest, pending: !explicit && trend.isLoading };
}
