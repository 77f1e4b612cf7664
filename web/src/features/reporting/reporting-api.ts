import { useMutation, type UseMutationResult } from '@tanstack/react-query';
import type { Case, ReportCreate } from '@telemed/contracts';
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
