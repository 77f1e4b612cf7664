import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { CaseComment, CaseDetail, CaseHistoryEntry, PatientChange, Report } from '@telemed/contracts';
import { ApiError, api, freshAccessToken, refusalOf } from '../../lib/api-client';

// a fallback only: socket.io events refresh the case at once
const REFRESH_MS = 60_000;

/** Everything cached about one case starts with this key, so one invalidation refreshes the whole page. */
export const caseKey = (id: string): readonly string[] => ['case', id];

/** One case, as the user may see it, with what its reading gave back (critical finding, image quality, opinions). */
export function useCase(id: string): UseQueryResult<CaseDetail> {
  return useQuery({
    queryKey: caseKey(id),
    queryFn: () => api<CaseDetail>('GET', `/api/cases/${id}`),
    refetchInterval: REFRESH_MS,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

function useCasePart<T>(id: string, part: string, enabled: boolean): UseQueryResult<T[]> {
  return useQuery({
    queryKey: [...caseKey(id), part],
    queryFn: () => api<T[]>('GET', `/api/cases/${id}/${part}`),
    enabled,
    refetchInterval: REFRESH_MS,
  });
}

/** The case's state changes, oldest first. */
export const useCaseHistory = (id: string, enabled: boolean): UseQueryResult<CaseHistoryEntry[]> =>
  useCasePart<CaseHistoryEntry>(id, 'history', enabled);
/** The comment thread, oldest first. */
export const useCaseComments = (id: string, enabled: boolean): UseQueryResult<CaseComment[]> =>
  useCasePart<CaseComment>(id, 'comments', enabled);
/** Every report version, oldest first. */
export const useCaseReports = (id: string, enabled: boolean): UseQueryResult<Report[]> =>
  useCasePart<Report>(id, 'reports', enabled);
/** Corrections of the patient's demographics. */
export const usePatientChanges = (id: string, enabled: boolean): UseQueryResult<PatientChange[]> =>
  useCasePart<PatientChange>(id, 'patient-changes', enabled);

/** One series of the study, from the archive's QIDO-RS answer. */
export interface SeriesSummary {
  uid: string;
  number: string;
  modality: string;
  description: string;
  images: number;
}

type DicomJson = Record<string, { Value?: unknown[] } | undefined>;
const first = (item: DicomJson, tag: string): string => {
  const value = item[tag]?.Value?.[0];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
};

/** The series of the case's study with their image counts; empty while nothing has arrived. */
export function useStudySeries(studyUid: string | null): UseQueryResult<SeriesSummary[]> {
  return useQuery({
    queryKey: ['study-series', studyUid],
    enabled: !!studyUid,
    refetchInterval: REFRESH_MS,
    queryFn: async () => {
      const found = await api<DicomJson[] | undefined>(
        'GET',
        `/dicomweb/studies/${encodeURIComponent(studyUid ?? '')}/series?includefield=00201209`,
      ).catch((error: unknown) => {
        // nothing of the study in the archive yet
        if (error instanceof ApiError && error.status === 404) return [];
        throw error;
      });
      return (found ?? []).map((s) => ({
        uid: first(s, '0020000E'),
        number: first(s, '00200011'),
        modality: first(s, '00080060'),
        description: first(s, '0008103E'),
        images: Number(first(s, '00201209') || 0),
      }));
    },
  });
}

/** Adds a comment; the thread is read again after. */
export function useAddComment(id: string): UseMutationResult<CaseComment, Error, string> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => api<CaseComment>('POST', `/api/cases/${id}/comments`, { body }),
    onSettled: () => client.invalidateQueries({ queryKey: caseKey(id) }),
  });
}

/** The latest report as a PDF, fetched as the signed-in user (a plain link would carry no token). */
export async function reportPdf(id: string): Promise<Blob> {
  const token = await freshAccessToken();
  const res = await fetch(`/api/cases/${id}/report.pdf`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok) throw await refusalOf(res);
  return res.blob();
}
