import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ANNOTATION_TOOLS,
  type Annotation,
  type AnnotationTool,
  type CaseAnnotations,
} from '@telemed/contracts';
import * as cornerstoneTools from 'cornerstone-tools';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../../lib/api-client';
import { imageIdOf } from './cornerstone-setup';
import type { ViewerSeries } from './viewer-api';

// a burst of handle drags is one save
const SAVE_DELAY_MS = 800;

/** A mark as the measurement list shows it. */
export interface MeasurementItem {
  id: string;
  tool: AnnotationTool;
  seriesUid: string;
  /** the image it is on, in its series' order */
  index: number;
  data: Record<string, unknown>;
}

export type SaveStatus = 'idle' | 'saving' | 'saved' | { failed: string };

/** What the viewer knows of the case's marks, and how it saves them. */
export interface Annotations {
  items: MeasurementItem[];
  status: SaveStatus;
  /** Reads the marks from cornerstone's tool state again (after a draw or an edit) and saves them, debounced. */
  changed: () => void;
  /** Takes a mark off its image and saves. */
  remove: (id: string) => void;
  /** Changes the text of an arrow and saves. */
  setText: (id: string, text: string) => void;
}

type ToolState = Record<string, Record<string, { data: Record<string, unknown>[] } | undefined>>;

/** An image of the study: where its image id leads. */
interface ImageRef {
  seriesUid: string;
  sopInstanceUid: string;
  frame?: number;
  index: number;
}

const isTool = (name: string): name is AnnotationTool =>
  (ANNOTATION_TOOLS as readonly string[]).includes(name);

function newId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

/** The marks in cornerstone's tool state, as the api keeps them. */
function fromToolState(state: ToolState, images: Map<string, ImageRef>): (Annotation & { index: number })[] {
  const out: (Annotation & { index: number })[] = [];
  for (const [imageId, tools] of Object.entries(state)) {
    const ref = images.get(imageId);
    if (!ref) continue;
    for (const [tool, entry] of Object.entries(tools)) {
      if (!isTool(tool) || !entry) continue;
      for (const data of entry.data) {
        // an arrow whose text is still being typed is not a mark yet
        if (tool === 'ArrowAnnotate' && !data.text) continue;
        if (typeof data.id !== 'string') data.id = newId();
        // selection and redraw flags are the moment's, not the mark's
        const kept = { ...data };
        delete kept.active;
        delete kept.invalidated;
        out.push({
          id: data.id as string,
          tool,
          seriesInstanceUid: ref.seriesUid,
          sopInstanceUid: ref.sopInstanceUid,
          ...(ref.frame === undefined ? {} : { frame: ref.frame }),
          data: kept,
          index: ref.index,
        });
      }
    }
  }
  return out;
}

/**
 * Cornerstone's tool state holding `annotations`, and of `current` what other tools keep (a consult's live marks,
 * drawn by tools of their own), so that restoring the case's marks does not wipe them.
 */
function toToolState(annotations: Annotation[], studyUid: string, current: ToolState): ToolState {
  const state: ToolState = {};
  for (const [imageId, tools] of Object.entries(current))
    for (const [tool, entry] of Object.entries(tools))
      if (!isTool(tool) && entry) (state[imageId] ??= {})[tool] = entry;
  for (const a of annotations) {
    const imageId = imageIdOf(studyUid, a.seriesInstanceUid, a.sopInstanceUid, a.frame);
    const tools = (state[imageId] ??= {});
    const entry = (tools[a.tool] ??= { data: [] });
    entry.data.push({ ...a.data, id: a.id, active: false, invalidated: true });
  }
  return state;
}

/**
 * The case's saved marks put on its images when the viewer opens, and the reader's new or moved ones saved with the
 * case (the whole document with the version it was read at) a moment after each change. Read only for everyone but
 * the assigned specialist.
 */
export function useAnnotations(
  caseId: string,
  studyUid: string | null,
  allSeries: ViewerSeries[] | undefined,
  mayWrite: boolean,
  ready: boolean,
  redraw: () => void,
): Annotations {
  const client = useQueryClient();
  const saved = useQuery({
    queryKey: ['case', caseId, 'annotations'],
    queryFn: () => api<CaseAnnotations>('GET', `/api/cases/${caseId}/annotations`),
    staleTime: Infinity,
  });
  const version = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const restored = useRef(false);
  const [items, setItems] = useState<MeasurementItem[]>([]);
  const [status, setStatus] = useState<SaveStatus>('idle');

  const images = useRef(new Map<string, ImageRef>());
  useEffect(() => {
    const map = new Map<string, ImageRef>();
    if (studyUid) {
      for (const s of allSeries ?? []) {
        s.images.forEach((i, index) => {
          map.set(imageIdOf(studyUid, s.uid, i.sopInstanceUid, i.frame), {
            seriesUid: s.uid,
            sopInstanceUid: i.sopInstanceUid,
            ...(i.frame === undefined ? {} : { frame: i.frame }),
            index,
          });
        });
      }
    }
    images.current = map;
  }, [studyUid, allSeries]);

  const read = useCallback((): (Annotation & { index: number })[] => {
    const all = fromToolState(
      cornerstoneTools.globalImageIdSpecificToolStateManager.saveToolState(),
      images.current,
    );
    setItems(
      all.map((a) => ({
        id: a.id,
        tool: a.tool,
        seriesUid: a.seriesInstanceUid,
        index: a.index,
        data: a.data,
      })),
    );
    return all;
  }, []);

  // what was saved goes onto the images once, when the viewport and the study are there
  useEffect(() => {
    if (!saved.data || !ready || !studyUid || !allSeries || restored.current) return;
    restored.current = true;
    version.current = saved.data.version;
    cornerstoneTools.globalImageIdSpecificToolStateManager.restoreToolState(
      toToolState(
        saved.data.annotations,
        studyUid,
        cornerstoneTools.globalImageIdSpecificToolStateManager.saveToolState(),
      ) as Record<string, Record<string, { data: Record<string, unknown>[] }>>,
    );
    read();
    redraw();
  }, [saved.data, ready, studyUid, allSeries, read, redraw]);

  const save = useCallback(async () => {
    const annotations = read().map(({ index: _index, ...a }) => a);
    setStatus('saving');
    try {
      const answer = await api<CaseAnnotations>('PUT', `/api/cases/${caseId}/annotations`, {
        version: version.current,
        annotations,
      });
      version.current = answer.version;
      client.setQueryData(['case', caseId, 'annotations'], answer);
      setStatus('saved');
    } catch (error) {
      setStatus({ failed: error instanceof ApiError ? error.message : String(error) });
    }
  }, [caseId, client, read]);

  const changed = useCallback(() => {
    read();
    if (!mayWrite || !restored.current) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      void save();
    }, SAVE_DELAY_MS);
  }, [mayWrite, read, save]);

  /** The mark with this id in cornerstone's tool state (the live object), with the list that holds it. */
  const find = useCallback((id: string): { list: Record<string, unknown>[]; at: number } | null => {
    const state: ToolState = cornerstoneTools.globalImageIdSpecificToolStateManager.saveToolState();
    for (const tools of Object.values(state)) {
      for (const entry of Object.values(tools)) {
        const at = entry?.data.findIndex((d) => d.id === id) ?? -1;
        if (entry && at >= 0) return { list: entry.data, at };
      }
    }
    return null;
  }, []);

  const remove = useCallback(
    (id: string) => {
      const found = find(id);
      if (!found) return;
      found.list.splice(found.at, 1);
      redraw();
      changed();
    },
    [find, redraw, changed],
  );

  const setText = useCallback(
    (id: string, text: string) => {
      const mark = find(id);
      if (!mark) return;
      const data = mark.list[mark.at];
      if (data) data.text = text;
      redraw();
      changed();
    },
    [find, redraw, changed],
  );

  // a save still waiting when the reader leaves is sent at once
  useEffect(
    () => () => {
      if (timer.current) {
        clearTimeout(timer.current);
        void save();
      }
    },
    [save],
  );

  return { items, status, changed, remove, setText };
}
