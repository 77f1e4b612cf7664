import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { Case, Hospital, Worklist, WorklistQuery } from '@telemed/contracts';
import { api } from '../../lib/api-client';

// a fallback only: the socket's pool news and notifications refresh the worklist at once
const REFRESH_MS = 30_000;

/** Everything cached for the worklist starts with this key. */
export const WORKLIST_KEY = ['worklist'] as const;

/** The query string of the worklist's filters; empty filters are left out. */
export function worklistSearch(q: WorklistQuery): string {
  const params = new URLSearchParams();
  for (const m of q.modality ?? []) params.append('modality', m);
  for (const u of q.urgency ?? []) params.append('urgency', u);
  for (const s of q.state ?? []) params.append('state', s);
  if (q.hospitalId) params.set('hospitalId', q.hospitalId);
  if (q.q?.trim()) params.set('q', q.q.trim());
  return params.toString();
}

/** My open cases and my department's pool, filtered, most urgent first. */
export function useWorklist(q: WorklistQuery): UseQueryResult<Worklist> {
  const search = worklistSearch(q);
  return useQuery({
    queryKey: [...WORKLIST_KEY, search],
    queryFn: () => api<Worklist>('GET', `/api/worklist${search ? `?${search}` : ''}`),
    refetchInterval: REFRESH_MS,
    placeholderData: (previous) => previous,
  });
}

/** The same patient's other cases I may see, read when a row's priors are opened. */
export function usePriors(caseId: string): UseQueryResult<Case[]> {
  return useQuery({
    queryKey: [...WORKLIST_KEY, 'priors', caseId],
    queryFn: () => api<Case[]>('GET', `/api/cases/${caseId}/priors`),
  });
}

/** Every hospital, for names, the county filter and the time zone each keeps. */
export function useHospitals(): UseQueryResult<Hospital[]> {
  return useQuery({
    queryKey: ['hospitals'],
    queryFn: () => api<Hospital[]>('GET', '/api/hospitals'),
    staleTime: 600_000,
  });
}

/** What the worklist does to a case itself. */
export type WorklistAction = 'claim' | 'release';

/** Claims a case from the pool, or releases one of mine back to it; the worklist is read again after. */
export function useWorklistAction(): UseMutationResult<
  Case,
  Error,
  { action: WorklistAction; id: string; reason?: string }
> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ action, id, reason }) =>
      api<Case>(
        'POST',
        `/api/cases/${id}/${action}`,
        action === 'release' ? (reason ? { reason } : {}) : undefined,
      ),
    onSettled: () => client.invalidateQueries({ queryKey: WORKLIST_KEY }),
  });
}
