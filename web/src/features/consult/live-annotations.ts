import {
  ANNOTATION_TOOLS,
  LIVE_ANNOTATION_POINTS,
  type AnnotationTool,
  type LiveAnnotation,
  type LiveAnnotationDraft,
} from '@telemed/contracts';
import * as cornerstone from 'cornerstone-core';
import * as cornerstoneTools from 'cornerstone-tools';
import type { MeasurementEventDetail, ToolClass } from 'cornerstone-tools';
import { imageIdOf } from '../viewer/cornerstone-setup';

// a handle being dragged goes out at most this often, like the shared view: smooth to the eye, light on the uplink
const SEND_EVERY_MS = 40;
// an arrow's words as the contract bounds them
const TEXT_MAX = 200;

/** The colours others' marks are drawn in: bright on a grey image, none of them cornerstone's own white or green. */
const PEOPLE_COLOURS = ['#ffb02e', '#3ccbff', '#ff6fb5', '#b59cff', '#ff7a45', '#5ce1c6'];

/** One person's colour, the same on every side: chosen by their user id, not by who joined first. */
export function colourOf(userId: string): string {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PEOPLE_COLOURS[hash % PEOPLE_COLOURS.length] ?? '#ffb02e';
}

const TOOL_CLASSES: Record<AnnotationTool, ToolClass> = {
  Length: cornerstoneTools.LengthTool,
  Angle: cornerstoneTools.AngleTool,
  EllipticalRoi: cornerstoneTools.EllipticalRoiTool,
  RectangleRoi: cornerstoneTools.RectangleRoiTool,
  ArrowAnnotate: cornerstoneTools.ArrowAnnotateTool,
};

/**
 * Others' marks live in cornerstone's tool state under tools of their own ("LiveLength"...), only ever enabled: they
 * are drawn and measured like one's own but cannot be picked up, and the case's marks (saved by tool name) never
 * include them.
 */
const liveTool = (tool: AnnotationTool): string => `Live${tool}`;
let registered = false;
function registerLiveTools(): void {
  if (registered) return;
  registered = true;
  for (const tool of ANNOTATION_TOOLS) cornerstoneTools.addTool(TOOL_CLASSES[tool], { name: liveTool(tool) });
}

const isTool = (name: string): name is AnnotationTool =>
  (ANNOTATION_TOOLS as readonly string[]).includes(name);

type Point = { x: number; y: number };
type Handles = Record<string, Point | undefined>;

/** The handles a tool's mark is made of, in the order the contract sends them. */
const HANDLE_KEYS: Record<AnnotationTool, readonly string[]> = {
  Length: ['start', 'end'],
  Angle: ['start', 'middle', 'end'],
  EllipticalRoi: ['start', 'end'],
  RectangleRoi: ['start', 'end'],
  ArrowAnnotate: ['start', 'end'],
};

/** The image an image id of the viewer leads to (see `imageIdOf`). */
function imageOf(imageId: string): { series: string; sop: string; frame?: number } | null {
  try {
    const query = new URL(imageId.replace(/^wadouri:/, '')).searchParams;
    const series = query.get('seriesUID');
    const sop = query.get('objectUID');
    const frame = query.get('frame');
    if (!series || !sop) return null;
    return frame === null ? { series, sop } : { series, sop, frame: Number(frame) };
  } catch {
    return null;
  }
}

/** A remote mark as cornerstone's tools keep one: handles in image pixels, the measured values filled in on draw. */
function toolDataOf(mark: LiveAnnotation, colour: string): Record<string, unknown> {
  const handles: Record<string, unknown> = {
    textBox: {
      active: false,
      hasMoved: false,
      movesIndependently: false,
      drawnIndependently: true,
      allowedOutsideImage: true,
      hasBoundingBox: true,
    },
  };
  HANDLE_KEYS[mark.tool].forEach((key, i) => {
    const p = mark.points[i];
    if (p) handles[key] = { x: p.x, y: p.y, highlight: true, active: false };
  });
  if (mark.tool === 'EllipticalRoi' || mark.tool === 'RectangleRoi') handles.initialRotation = 0;
  return {
    id: mark.id,
    visible: true,
    active: false,
    invalidated: true,
    color: colour,
    handles,
    ...(mark.text === undefined ? {} : { text: mark.text }),
  };
}

/** A mark someone else drew, with the colour of who drew it. */
export interface OthersMark {
  mark: LiveAnnotation;
  colour: string;
}

/** Where this side's marks go: to the consult. */
export interface LiveMarksOut {
  share(draft: LiveAnnotationDraft): void;
  remove(id: string): void;
}

interface Kept {
  imageId: string;
  toolName: string;
  data: Record<string, unknown>;
}

/**
 * A consult's live marks on one viewport. This side's marks, drawn with the viewer's tools, go out as they are made
 * (the first point at once, a dragged handle every SEND_EVERY_MS, the finished mark at once); others' marks are drawn
 * read only on their image, in their author's colour, and measured from this side's own pixels. `close()` takes
 * others' marks off and stops sending; it may be called more than once.
 */
export class LiveMarks {
  readonly #element: HTMLElement;
  readonly #studyUid: string;
  readonly #out: LiveMarksOut;
  readonly #indexOf: (series: string, sop: string, frame?: number) => number | undefined;
  /** this side's marks drawn since the consult's viewer opened: the ones it shares, by id */
  readonly #mine = new Map<
    string,
    { tool: AnnotationTool; imageId: string; data: Record<string, unknown> }
  >();
  readonly #pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** others' marks as drawn here, by id */
  readonly #others = new Map<string, Kept>();
  readonly #listeners = new Set<() => void>();
  #measuredKey = '';
  #redraw = 0;
  readonly #dirty = new Set<string>();
  #closed = false;

  constructor(
    element: HTMLElement,
    studyUid: string,
    out: LiveMarksOut,
    indexOf: (series: string, sop: string, frame?: number) => number | undefined,
  ) {
    this.#element = element;
    this.#studyUid = studyUid;
    this.#out = out;
    this.#indexOf = indexOf;
    registerLiveTools();
    for (const tool of ANNOTATION_TOOLS) cornerstoneTools.setToolEnabled(liveTool(tool));
    const { EVENTS } = cornerstoneTools;
    element.addEventListener(EVENTS.MEASUREMENT_ADDED, this.#onAdded);
    element.addEventListener(EVENTS.MEASUREMENT_MODIFIED, this.#onModified);
    element.addEventListener(EVENTS.MEASUREMENT_COMPLETED, this.#onCompleted);
    element.addEventListener(EVENTS.MEASUREMENT_REMOVED, this.#onRemoved);
    element.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED, this.#onRendered);
  }

  /** Draws exactly `marks` of the others: new ones added, moved ones moved, the rest taken off. */
  show(marks: OthersMark[]): void {
    if (this.#closed) return;
    const wanted = new Set(marks.map((m) => m.mark.id));
    for (const id of [...this.#others.keys()]) if (!wanted.has(id)) this.#dropOther(id);
    for (const { mark, colour } of marks) {
      const imageId = imageIdOf(this.#studyUid, mark.seriesInstanceUid, mark.sopInstanceUid, mark.frame);
      const toolName = liveTool(mark.tool);
      const data = toolDataOf(mark, colour);
      const kept = this.#others.get(mark.id);
      if (kept && sameMark(kept.data, data) && kept.imageId === imageId && kept.toolName === toolName)
        continue;
      if (kept) this.#dropOther(mark.id);
      // a fresh record, without the values measured for the old handles, is measured again when next drawn
      cornerstoneTools.globalImageIdSpecificToolStateManager.addImageIdToolState(imageId, toolName, data);
      this.#others.set(mark.id, { imageId, toolName, data });
      this.#redrawIfShown(imageId);
    }
  }

  /**
   * Takes this side's marks that are no longer shared (cleared with "清除我的标注") off this viewer too; the viewer
   * hears of it as a removal, so a reader who saves marks with the case saves that.
   */
  forget(ids: string[]): void {
    let removed: MeasurementEventDetail | null = null;
    for (const id of ids) {
      const mine = this.#mine.get(id);
      if (!mine) continue;
      this.#cancel(id);
      this.#mine.delete(id);
      if (takeOut(mine.imageId, mine.tool, mine.data))
        removed = { toolName: mine.tool, element: this.#element, measurementData: mine.data };
      this.#redrawIfShown(mine.imageId);
    }
    if (removed)
      this.#element.dispatchEvent(
        new CustomEvent(cornerstoneTools.EVENTS.MEASUREMENT_REMOVED, { detail: removed }),
      );
  }

  /** What cornerstone measured of another's mark (length, angle, ROI statistics) once its image was drawn here. */
  measured(id: string): Record<string, unknown> {
    return this.#others.get(id)?.data ?? {};
  }

  /** Calls `listener` when a drawing here measured others' marks anew; returns the unsubscribe. */
  onMeasured(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const { EVENTS } = cornerstoneTools;
    this.#element.removeEventListener(EVENTS.MEASUREMENT_ADDED, this.#onAdded);
    this.#element.removeEventListener(EVENTS.MEASUREMENT_MODIFIED, this.#onModified);
    this.#element.removeEventListener(EVENTS.MEASUREMENT_COMPLETED, this.#onCompleted);
    this.#element.removeEventListener(EVENTS.MEASUREMENT_REMOVED, this.#onRemoved);
    this.#element.removeEventListener(cornerstone.EVENTS.IMAGE_RENDERED, this.#onRendered);
    for (const id of [...this.#pending.keys()]) this.#cancel(id);
    for (const id of [...this.#others.keys()]) this.#dropOther(id);
    cancelAnimationFrame(this.#redraw);
    this.#listeners.clear();
  }

  readonly #onAdded = (event: Event): void => {
    const { toolName, measurementData: data } = (event as CustomEvent<MeasurementEventDetail>).detail;
    const image = cornerstone.getEnabledElement(this.#element).image;
    if (!isTool(toolName) || !image) return;
    // the id the case keeps it under too (see annotations.ts), so a shared mark and a saved one are the same mark
    if (typeof data.id !== 'string') data.id = crypto.randomUUID().replaceAll('-', '');
    const id = data.id as string;
    this.#mine.set(id, { tool: toolName, imageId: image.imageId, data });
    this.#send(id);
  };

  readonly #onModified = (event: Event): void => {
    const id = (event as CustomEvent<MeasurementEventDetail>).detail.measurementData.id;
    if (typeof id !== 'string' || !this.#mine.has(id) || this.#pending.has(id)) return;
    this.#pending.set(
      id,
      setTimeout(() => {
        this.#pending.delete(id);
        this.#send(id);
      }, SEND_EVERY_MS),
    );
  };

  readonly #onCompleted = (event: Event): void => {
    const id = (event as CustomEvent<MeasurementEventDetail>).detail.measurementData.id;
    if (typeof id !== 'string' || !this.#mine.has(id)) return;
    this.#cancel(id);
    this.#send(id);
  };

  readonly #onRemoved = (event: Event): void => {
    const id = (event as CustomEvent<MeasurementEventDetail>).detail.measurementData.id;
    if (typeof id !== 'string' || !this.#mine.has(id)) return;
    this.#cancel(id);
    this.#mine.delete(id);
    this.#out.remove(id);
  };

  readonly #onRendered = (): void => {
    if (this.#others.size === 0) return;
    const key = [...this.#others.values()]
      .map(({ data }) => JSON.stringify([data.id, data.length, data.rAngle, data.cachedStats]))
      .join();
    if (key === this.#measuredKey) return;
    this.#measuredKey = key;
    for (const listener of this.#listeners) listener();
  };

  #send(id: string): void {
    const mine = this.#mine.get(id);
    const image = mine && imageOf(mine.imageId);
    if (!mine || !image) return;
    const handles = mine.data.handles as Handles | undefined;
    const points = HANDLE_KEYS[mine.tool].map((key) => handles?.[key]);
    if (points.length !== LIVE_ANNOTATION_POINTS[mine.tool] || points.some((p) => !p)) return;
    const imageIndex = this.#indexOf(image.series, image.sop, image.frame);
    if (imageIndex === undefined) return;
    const text = mine.data.text;
    this.#out.share({
      id,
      tool: mine.tool,
      studyInstanceUid: this.#studyUid,
      seriesInstanceUid: image.series,
      sopInstanceUid: image.sop,
      ...(image.frame === undefined ? {} : { frame: image.frame }),
      imageIndex,
      points: points.map((p) => ({ x: p?.x ?? 0, y: p?.y ?? 0 })),
      ...(typeof text === 'string' ? { text: text.slice(0, TEXT_MAX) } : {}),
    });
  }

  #cancel(id: string): void {
    const timer = this.#pending.get(id);
    if (timer) clearTimeout(timer);
    this.#pending.delete(id);
  }

  #dropOther(id: string): void {
    const kept = this.#others.get(id);
    if (!kept) return;
    this.#others.delete(id);
    takeOut(kept.imageId, kept.toolName, kept.data);
    this.#redrawIfShown(kept.imageId);
  }

  /** Draws the viewport again, once this frame, if it shows `imageId`: a burst of marks is one redraw. */
  #redrawIfShown(imageId: string): void {
    if (this.#closed) return;
    this.#dirty.add(imageId);
    this.#redraw ||= requestAnimationFrame(() => {
      this.#redraw = 0;
      const shown = cornerstone.getEnabledElement(this.#element).image;
      if (shown && this.#dirty.has(shown.imageId)) cornerstone.updateImage(this.#element);
      this.#dirty.clear();
    });
  }
}

/** Takes one record out of an image's tool state; says whether it was there. */
function takeOut(imageId: string, toolName: string, data: Record<string, unknown>): boolean {
  const entry = cornerstoneTools.globalImageIdSpecificToolStateManager.getImageIdToolState(imageId, toolName);
  const at = entry?.data.indexOf(data) ?? -1;
  if (!entry || at < 0) return false;
  entry.data.splice(at, 1);
  return true;
}

/** Whether two records of a remote mark draw the same: the same handles, words and colour. */
function sameMark(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return (
    a.color === b.color && a.text === b.text && JSON.stringify(pointsOf(a)) === JSON.stringify(pointsOf(b))
  );
}

function pointsOf(data: Record<string, unknown>): Point[] {
  const handles = (data.handles ?? {}) as Handles;
  return ['start', 'middle', 'end'].flatMap((k) => {
    const p = handles[k];
    return p ? [{ x: p.x, y: p.y }] : [];
  });
}
