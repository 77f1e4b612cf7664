import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { Case, PriorStudy } from '@telemed/contracts';
import { api } from '../../lib/api-client';
import { normalOf, type SliceGeometry } from './slice-link';

type DicomJson = Record<string, { Value?: unknown[] } | undefined>;
const text = (item: DicomJson, tag: string): string => {
  const value = item[tag]?.Value?.[0];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
};
/** The numbers of a multi-valued numeric attribute (DS, IS), or null when it is missing or not all numbers. */
const numbers = (item: DicomJson, tag: string): number[] | null => {
  const values = item[tag]?.Value?.map(Number);
  return values?.length && values.every(Number.isFinite) ? values : null;
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
  /** where each image lies in the patient, for linked scrolling; null for multi-frame series */
  geometry: SliceGeometry | null;
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

// instance number and frames for the order; position, orientation and slice location for linked scrolling
const INSTANCE_FIELDS = ['00200013', '00280008', '00200032', '00200037', '00201041']
  .map((tag) => `includefield=${tag}`)
  .join('&');

/**
 * Where the images of a series lie, from their headers; null for a multi-frame series (its frames share one
 * header's position) or a series whose images are not all oriented alike.
 */
function geometryOf(
  images: {
    frames: number;
    position: number[] | null;
    orientation: number[] | null;
    location: number | null;
  }[],
): SliceGeometry | null {
  if (images.some((i) => i.frames > 1)) return null;
  const first = images[0]?.orientation ?? null;
  const same = images.every(
    (i) => i.orientation && first && i.orientation.every((v, k) => Math.abs(v - (first[k] ?? 0)) < 1e-3),
  );
  return {
    normal: same ? normalOf(first) : null,
    positions: images.map((i) =>
      i.position?.length === 3 ? (i.position as [number, number, number]) : null,
    ),
    locations: images.map((i) => i.location),
  };
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
        `${base}/series/${encodeURIComponent(uid)}/instances?${INSTANCE_FIELDS}`,
      );
      const ordered = instances
        .map((i) => ({
          uid: text(i, '00080018'),
          number: Number(text(i, '00200013') || 0),
          frames: Number(text(i, '00280008') || 1),
          position: numbers(i, '00200032'),
          orientation: numbers(i, '00200037'),
          location: numbers(i, '00201041')?.[0] ?? null,
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
        geometry: geometryOf(ordered),
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

/** The archived studies of the patient's other cases, newest first, to open beside the case's own. */
export function usePriorStudies(caseId: string, enabled: boolean): UseQueryResult<PriorStudy[]> {
  return useQuery({
    queryKey: ['case', caseId, 'prior-studies'],
    enabled,
    queryFn: () => api<PriorStudy[]>('GET', `/api/cases/${caseId}/prior-studies`),
    staleTime: 60_000,
  });
}
