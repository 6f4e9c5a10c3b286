// The console's data access: one hook per API read, so pages never build URLs or parse bodies themselves.
// Every hook names a route of the shared contracts; its answer is typed by the route's response schema.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { aggregationRoutes, intakeRoutes, type RouteSpec } from '@huoju/contracts/http';
import { call, type CallInput } from './client';

type Query<R extends RouteSpec> = NonNullable<CallInput<R>['query']>;

export function useFormDefinition(formId: string, period?: string) {
  return useQuery({
    queryKey: ['form', formId, period],
    queryFn: () => call(intakeRoutes.getForm, { params: { formId }, query: { period } }),
    staleTime: 3_600_000,
  });
}

export function useFormRules(formId: string) {
  return useQuery({
    queryKey: ['rules', formId],
    queryFn: () => call(intakeRoutes.getFormRules, { params: { formId } }),
    staleTime: 3_600_000,
  });
}

export function useFilings(query: Query<typeof intakeRoutes.listFilings>) {
  return useQuery({
    queryKey: ['filings', query],
    queryFn: () => call(intakeRoutes.listFilings, { query }),
    placeholderData: keepPreviousData,
  });
}

/** A filing; polled while validation is still running, so its status changes on screen by itself. */
export function useFiling(id: string) {
  return useQuery({
    queryKey: ['filing', id],
    queryFn: () => call(intakeRoutes.getFiling, { params: { id } }),
    refetchInterval: (query) => (query.state.data?.status === 'received' ? 1_000 : 15_000),
  });
}

export function useRevision(id: string, revision: number | undefined) {
  return useQuery({
    queryKey: ['revision', id, revision],
    queryFn: () => call(intakeRoutes.getFilingRevision, { params: { id, revision: revision ?? 0 } }),
    enabled: revision !== undefined,
    staleTime: Infinity,
  });
}

/** The compliance view refreshes itself every few seconds: the team sees filings arrive without reloading. */
export function useCompliance(query: Query<typeof aggregationRoutes.getCompliance>, enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['compliance', query],
    queryFn: () => call(aggregationRoutes.getCompliance, { query }),
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
  });
}

export function useTrend(query: Query<typeof aggregationRoutes.getComplianceTrend>, enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['trend', query],
    queryFn: () => call(aggregationRoutes.getComplianceTrend, { query }),
    refetchInterval: 30_000,
  });
}

/** Any read of a contract's route table, keyed by the route and its input. */
export function useApi<R extends RouteSpec>(
  route: R,
  input: CallInput<R>,
  options: { enabled?: boolean; refetchInterval?: number } = {},
) {
  return useQuery({
    queryKey: [route.operationId, input.params, input.query],
    queryFn: () => call(route, input),
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
    queryFn: () => call(aggregationRoutes.getComplianceTrend, { query: { form, periods: 1 } }),
    enabled: !explicit,
    staleTime: 60_000,
  });
  const latest = trend.data?.points[trend.data.points.length - 1]?.period ?? '';
  return { period: explicit || latest, pending: !explicit && trend.isLoading };
}
