import { useMutation, useQuery, type UseMutationResult, type UseQueryResult } from '@tanstack/react-query';
import type {
  Case,
  ReportCreate,
  SecondOpinion,
  SecondOpinionCandidate,
  SecondOpinionRequest,
} from '@telemed/contracts';
import { api } from '../../lib/api-client';

/** What the report panel does to its case: start reading, write a version, or hand the case back to the pool. */
export type ReportStep =
  { step: 'start_review' } | { step: 'release'; reason?: string } | { step: 'report'; report: ReportCreate };

/** Performs one step on the case; `onDone` refreshes whatever shows the case. */
export function useReportStep(
  caseId: string,
  onDone: () => void,
): UseMutationResult<Case, Error, ReportStep> {
  return useMutation({
    mutationFn: (s: ReportStep) => {
      switch (s.step) {
        case 'start_review':
          return api<Case>('POST', `/api/cases/${caseId}/start-review`);
        case 'release':
          return api<Case>('POST', `/api/cases/${caseId}/release`, s.reason ? { reason: s.reason } : {});
        case 'report':
          return api<Case>('POST', `/api/cases/${caseId}/reports`, s.report);
      }
    },
    onSettled: onDone,
  });
}

/** Whom I may ask for a second opinion on the case, read while I may ask (a minute's staleness is fine: rosters). */
export function useSecondOpinionCandidates(
  caseId: string,
  enabled: boolean,
): UseQueryResult<SecondOpinionCandidate[]> {
  return useQuery({
    queryKey: ['second-opinion-candidates', caseId],
    queryFn: () => api<SecondOpinionCandidate[]>('GET', `/api/cases/${caseId}/second-opinion/candidates`),
    enabled,
    staleTime: 60_000,
  });
}

/** What the reader does with a second opinion: ask a colleague, or withdraw the open request. */
export type SecondOpinionStep = { step: 'ask'; request: SecondOpinionRequest } | { step: 'withdraw' };

/** Asks for or withdraws a second opinion; `onDone` reads the case again. */
export function useSecondOpinionStep(
  caseId: string,
  onDone: () => void,
): UseMutationResult<SecondOpinion, Error, SecondOpinionStep> {
  return useMutation({
    mutationFn: (s: SecondOpinionStep) =>
      s.step === 'ask'
        ? api<SecondOpinion>('POST', `/api/cases/${caseId}/second-opinion`, s.request)
        : api<SecondOpinion>('POST', `/api/cases/${caseId}/second-opinion/withdraw`),
    onSettled: onDone,
  });
}
