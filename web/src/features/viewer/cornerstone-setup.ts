import * as cornerstone from 'cornerstone-core';
import * as cornerstoneTools from 'cornerstone-tools';
import cornerstoneMath from 'cornerstone-math';
import dicomParser from 'dicom-parser';
import Hammer from 'hammerjs';
import wadoImageLoader from 'cornerstone-wado-image-loader';
import { accessToken } from '../../lib/api-client';
import { currentSession } from '../../lib/session';
import { askArrowText } from './arrow-text';

/**
 * How many bytes of decoded images the viewer keeps, least recently used out first: a quarter of a 4 GB county PC,
 * room for four 300-slice CT series. A reader may change it on this computer (`VIEWER_CACHE_KEY`, in megabytes).
 */
export const DEFAULT_CACHE_BYTES = 1024 * 1024 * 1024;
/** The local-storage key of the reader's own cache size, in megabytes. */
export const VIEWER_CACHE_KEY = 'telemed.viewer.cacheMegabytes';
const MIN_CACHE_BYTES = 64 * 1024 * 1024;

/** The image cache's size on this computer: the reader's own setting if it is a sensible number, else the default. */
export function cacheBytes(): number {
  const megabytes = Number(localStorage.getItem(VIEWER_CACHE_KEY));
  if (!Number.isFinite(megabytes) || megabytes <= 0) return DEFAULT_CACHE_BYTES;
  return Math.max(MIN_CACHE_BYTES, Math.round(megabytes * 1024 * 1024));
}

/** Tool names as cornerstone-tools registers them. */
export const TOOL = {
  wwwc: 'Wwwc',
  pan: 'Pan',
  zoom: 'Zoom',
  rotate: 'Rotate',
  length: 'Length',
  angle: 'Angle',
  ellipse: 'EllipticalRoi',
  rectangle: 'RectangleRoi',
  arrow: 'ArrowAnnotate',
} as const;
export type ToolName = (typeof TOOL)[keyof typeof TOOL];
/** The tools whose marks are measurements kept with the case. */
export const MEASUREMENT_TOOLS: readonly ToolName[] = [
  TOOL.length,
  TOOL.angle,
  TOOL.ellipse,
  TOOL.rectangle,
  TOOL.arrow,
];

let ready = false;

/**
 * Wires cornerstone, its tools and the WADO-URI loader once per page: images are fetched with the signed-in user's
 * bearer token (refreshed from the session as it runs out), decoded in web workers with the loader's wasm codecs,
 * and drawn on a 2D canvas.
 */
export function setUpCornerstone(): void {
  if (ready) return;
  ready = true;
  cornerstoneTools.external.cornerstone = cornerstone;
  cornerstoneTools.external.cornerstoneMath = cornerstoneMath;
  cornerstoneTools.external.Hammer = Hammer;
  // tools registered once reach every viewport enabled later (each series, each layout pane)
  cornerstoneTools.init({ showSVGCursors: false, globalToolSyncEnabled: true });
  wadoImageLoader.external.cornerstone = cornerstone;
  wadoImageLoader.external.dicomParser = dicomParser;
  wadoImageLoader.configure({
    beforeSend(xhr) {
      // the loader asks synchronously; the viewer keeps the session's token fresh (`keepTokenFresh`)
      const token = currentSession()?.accessToken;
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    },
  });
  wadoImageLoader.webWorkerManager.initialize({
    // a county PC has two to four cores; the page itself needs one
    maxWebWorkers: Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)),
    startWebWorkersOnDemand: true,
    taskConfiguration: { decodeTask: { initializeCodecsOnStartup: false, strict: false } },
  });
  cornerstone.imageCache.setMaximumSizeBytes(cacheBytes());
  cornerstoneTools.addTool(cornerstoneTools.WwwcTool);
  cornerstoneTools.addTool(cornerstoneTools.PanTool);
  cornerstoneTools.addTool(cornerstoneTools.ZoomTool, { configuration: { minScale: 0.1, maxScale: 20 } });
  cornerstoneTools.addTool(cornerstoneTools.RotateTool);
  cornerstoneTools.addTool(cornerstoneTools.LengthTool);
  cornerstoneTools.addTool(cornerstoneTools.AngleTool);
  cornerstoneTools.addTool(cornerstoneTools.EllipticalRoiTool);
  cornerstoneTools.addTool(cornerstoneTools.RectangleRoiTool);
  cornerstoneTools.addTool(cornerstoneTools.ArrowAnnotateTool, {
    configuration: {
      // the tool's own prompt() blocks the page and has no label; the viewer asks in its own field
      getTextCallback: (done: (text: string | undefined) => void) => {
        askArrowText('', (text) => {
          done(text?.trim() || undefined);
        });
      },
      changeTextCallback: (
        data: { text?: string },
        _event: unknown,
        done: (text: string | undefined, deleteTool?: boolean) => void,
      ) => {
        const before = data.text ?? '';
        askArrowText(before, (text) => {
          done(text === null ? before : text.trim() || before);
        });
      },
    },
  });
}

/** Refreshes the access token a while before it runs out, for as long as the viewer is open; returns the stop. */
export function keepTokenFresh(): () => void {
  void accessToken();
  const timer = setInterval(() => void accessToken(), 20_000);
  return () => {
    clearInterval(timer);
  };
}

/** The WADO-URI image id of one instance (frame `frame` of a multi-frame one, counted from 0). */
export function imageIdOf(study: string, series: string, instance: string, frame?: number): string {
  const query = new URLSearchParams({
    requestType: 'WADO',
    studyUID: study,
    seriesUID: series,
    objectUID: instance,
    contentType: 'application/dicom',
  });
  const base = `wadouri:${location.origin}/wado?${query.toString()}`;
  return frame === undefined ? base : `${base}&frame=${frame}`;
}
