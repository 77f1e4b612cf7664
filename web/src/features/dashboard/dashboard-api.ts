import {
  useMutation,
  useQuery,
  useQueryClient,
  type QueryKey,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { Case, Hospital, QueueFigures, SpecialistChoice } from '@telemed/contracts';
import { api } from '../../lib/api-client';

/** The days of turnaround and throughput the dashboard shows; the figures pushed over the socket cover as many. */
export const DASHBOARD_DAYS = 7;

/** The query key of the figures, which the socket's pushes replace. */
export const FIGURES_KEY: QueryKey = ['queue-figures', DASHBOARD_DAYS];

/** The queue figures; read again every 30 s while the live connection is down. */
export function useQueueFigures(live: boolean): UseQueryResult<QueueFigures> {
  return useQuery({
    queryKey: FIGURES_KEY,
    queryFn: () => api<QueueFigures>('GET', `/api/admin/queue?days=${DASHBOARD_DAYS}`),
    refetchInterval: live ? false : 30_000,
  });
}

/** Every hospital, for the time zone each keeps. */
export function useHospitalZones(): UseQueryResult<Hospital[]> {
  return useQuery({
    queryKey: ['hospitals'],
    queryFn: () => api<Hospital[]>('GET', '/api/hospitals'),
    staleTime: 600_000,
  });
}

/** Whom the case could be handed to now; read afresh each time the dialog opens. */
export function useSpecialistChoices(caseId: string | null): UseQueryResult<SpecialistChoice[]> {
  return useQuery({
    queryKey: ['specialist-choices', caseId],
    queryFn: () => api<SpecialistChoice[]>('GET', `/api/admin/queue/cases/${caseId ?? ''}/specialists`),
    enabled: caseId !== null,
    staleTime: 0,
    gcTime: 0,
  });
}

/** Hands a case to another specialist; the figures are read again after. */
export function useReassign(): UseMutationResult<
  Case,
  Error,
  { caseId: string; specialistId: string; reason: string }
> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ caseId, specialistId, reason }) =>
      api<Case>('POST', `/api/cases/${caseId}/reassign`, { specialistId, reason }),
    onSettled: () => client.invalidateQueries({ queryKey: FIGURES_KEY }),
  });
}
