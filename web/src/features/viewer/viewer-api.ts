import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { Case } from '@telemed/contracts';
import { api } from '../../lib/api-client';

type DicomJson = Record<string, { Value?: unknown[] } | undefined>;
const text = (item: DicomJson, tag: string): string => {
  const value = item[tag]?.Value?.[0];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
};

/** One image the viewer can show: an instance, or one frame of a multi-frame instance. */
export interface ViewerImage {
  sopInstanceUid: string;
  /** the frame counted from 0, for multi-frame instances */
  frame?: number;
}

/** A series of the study with its images in reading order. */
export interface ViewerSeries {
  uid: string;
  number: number;
  modality: string;
  description: string;
  images: ViewerImage[];
}

/** A study opened in the viewer. */
export interface ViewerStudy {
  uid: string;
  date: string;
  description: string;
  series: ViewerSeries[];
}

// the QIDO-RS page size the archive allows
const PAGE = 1000;

async function allPages(path: string): Promise<DicomJson[]> {
  const out: DicomJson[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const sep = path.includes('?') ? '&' : '?';
    const page =
      (await api<DicomJson[] | undefined>('GET', `${path}${sep}limit=${PAGE}&offset=${offset}`)) ?? [];
    out.push(...page);
    if (page.length < PAGE) return out;
  }
}

/** The case the viewer is opened on. */
export function useViewerCase(id: string): UseQueryResult<Case> {
  return useQuery({ queryKey: ['case', id], queryFn: () => api<Case>('GET', `/api/cases/${id}`) });
}

/** Reads a study's series and their instances from the archive (QIDO-RS), each series in instance-number order. */
export async function loadStudy(studyUid: string): Promise<ViewerStudy> {
  const base = `/dicomweb/studies/${encodeURIComponent(studyUid)}`;
  const [study] = await allPages(`/dicomweb/studies?StudyInstanceUID=${encodeURIComponent(studyUid)}`);
  const found = await allPages(`${base}/series`);
  const series = await Promise.all(
    found.map(async (s): Promise<ViewerSeries> => {
      const uid = text(s, '0020000E');
      const instances = await allPages(
        `${base}/series/${encodeURIComponent(uid)}/instances?includefield=00200013&includefield=00280008`,
      );
      const ordered = instances
        .map((i) => ({
          uid: text(i, '00080018'),
          number: Number(text(i, '00200013') || 0),
          frames: Number(text(i, '00280008') || 1),
        }))
        .sort((a, b) => a.number - b.number || a.uid.localeCompare(b.uid));
      const images = ordered.flatMap((i): ViewerImage[] =>
        i.frames > 1
          ? Array.from({ length: i.frames }, (_, frame) => ({ sopInstanceUid: i.uid, frame }))
          : [{ sopInstanceUid: i.uid }],
      );
      return {
        uid,
        number: Number(text(s, '00200011') || 0),
        modality: text(s, '00080060'),
        description: text(s, '0008103E'),
        images,
      };
    }),
  );
  series.sort((a, b) => a.number - b.number);
  return {
    uid: studyUid,
    date: study ? text(study, '00080020') : '',
    description: study ? text(study, '00081030') : '',
    series: series.filter((s) => s.images.length > 0),
  };
}

/** The study of a case, series by series; null while the case names no study. */
export function useViewerStudy(studyUid: string | null): UseQueryResult<ViewerStudy> {
  return useQuery({
    queryKey: ['viewer-study', studyUid],
    enabled: !!studyUid,
    queryFn: () => loadStudy(studyUid ?? ''),
    staleTime: Infinity,
  });
}
