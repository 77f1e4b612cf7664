import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { CasePage } from '@telemed/contracts';
import { api } from '../../lib/api-client';
import type { StudyForCase } from '../../lib/study-for-case';

interface Attribute {
  Value?: (string | number | { Alphabetic?: string })[];
}
type QidoStudy = Record<string, Attribute | undefined>;

/** A study the hospital's gateway (or an earlier upload) put in the archive, with no case yet. */
export interface ReceivedStudy extends StudyForCase {
  studyDate: string;
  description: string;
}

const text = (a: Attribute | undefined): string => {
  const v = a?.Value?.[0];
  if (v === undefined) return '';
  return typeof v === 'object' ? (v.Alphabetic ?? '') : String(v);
};

// the newest studies and cases: what a county site received in the last days fits in one page of each
const LIMIT = 100;

/** The studies of this hospital in the archive (QIDO-RS) that no case of the hospital names yet. */
export function useReceivedStudies(): UseQueryResult<ReceivedStudy[]> {
  return useQuery({
    queryKey: ['received-studies'],
    queryFn: async (): Promise<ReceivedStudy[]> => {
      const [studies, cases] = await Promise.all([
        // 204 (nothing stored) comes back as undefined
        api<QidoStudy[] | undefined>('GET', `/dicomweb/studies?limit=${LIMIT}&includefield=00081030`),
        api<CasePage>('GET', `/api/cases?limit=${LIMIT}`),
      ]);
      const withCase = new Set(cases.items.map((c) => c.studyInstanceUid).filter(Boolean));
      return (studies ?? [])
        .map((s) => ({
          studyInstanceUid: text(s['0020000D']),
          patientName: text(s['00100010']),
          patientId: text(s['00100020']),
          patientSex: text(s['00100040']),
          patientBirthDate: text(s['00100030']),
          modality: text(s['00080061']),
          bodyPart: '',
          accessionNumber: text(s['00080050']),
          images: Number(text(s['00201208']) || 0),
          studyDate: text(s['00080020']),
          description: text(s['00081030']),
        }))
        .filter((s) => s.studyInstanceUid && !withCase.has(s.studyInstanceUid));
    },
  });
}
