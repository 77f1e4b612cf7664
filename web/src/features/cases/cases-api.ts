import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { Case, CaseAction, CasePage, Hospital } from '@telemed/contracts';
import { api } from '../../lib/api-client';

/** The actions this list performs itself; the others need their own screen (a report, a specialist to pick). */
export const LIST_ACTIONS = [
  'submit',
  'claim',
  'start_review',
  'reassign',
  'cancel',
] as const satisfies CaseAction[];
export type ListAction = (typeof LIST_ACTIONS)[number];
/** Actions that the api takes only with a reason. */
export const NEEDS_REASON: ReadonlySet<ListAction> = new Set(['reassign', 'cancel']);

const PATH: Record<ListAction, string> = {
  submit: 'submit',
  claim: 'claim',
  start_review: 'start-review',
  reassign: 'reassign',
  cancel: 'cancel',
};

/** The cases the user may see, in worklist order (STAT, then the SLA closest to running out). */
export function useCases(): UseQueryResult<CasePage> {
  return useQuery({
    queryKey: ['cases'],
    queryFn: () => api<CasePage>('GET', '/api/cases?sort=worklist&limit=200'),
    refetchInterval: 15_000,
  });
}

/** Every hospital, for names and the time zone each keeps. */
export function useHospitals(): UseQueryResult<Hospital[]> {
  return useQuery({
    queryKey: ['hospitals'],
    queryFn: () => api<Hospital[]>('GET', '/api/hospitals'),
    staleTime: 600_000,
  });
}

/** Takes one action on a case; the list is read again after. */
export function useCaseAction(): UseMutationResult<
  Case,
  Error,
  { action: ListAction; id: string; reason?: string }
> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ action, id, reason }: { action: ListAction; id: string; reason?: string }) =>
      api<Case>(
        'POST',
        `/api/cases/${id}/${PATH[action]}`,
        NEEDS_REASON.has(action) ? { reason } : undefined,
      ),
    onSettled: () => client.invalidateQueries({ queryKey: ['cases'] }),
  });
}
