import * as cornerstone from 'cornerstone-core';
import type { Image } from 'cornerstone-core';
import * as cornerstoneTools from 'cornerstone-tools';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ArrowTextField } from './ArrowTextField';
import type { ArrowTextRequest } from './arrow-text';
import { edgeMarkers } from './orientation';
import { StackView, type Rendered } from './stack-view';
import type { ViewerSeries } from './viewer-api';
import { INITIAL_VIEW, type ViewerController } from './viewer-controller';

/** The drag type of a series picked up from the series list, to drop on a viewport. */
export const SERIES_DRAG_TYPE = 'application/x-telemed-series';

/** A series as dragged from the list: which study, which series. */
export interface DraggedSeries {
  studyUid: string;
  seriesUid: string;
}

/** A DICOM date (YYYYMMDD) as YYYY-MM-DD. */
export const dicomDate = (da: string | undefined): string =>
  da && /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}` : (da ?? '');

/**
 * The browser's name for the character set an image's text is written in (Specific Character Set): the sets county
 * systems write. Importing the full decoder of @telemed/dicom here would split it into a chunk the technician's
 * screens load too.
 */
function textEncodingOf(charset: string | undefined): string {
  const last = (charset ?? '').split('\\').filter(Boolean).pop()?.trim() ?? '';
  if (last === 'ISO_IR 192') return 'utf-8';
  if (last === 'GB18030' || last === 'GBK') return 'gb18030';
  return 'windows-1252';
}

/** A text attribute of the image in its own character set (a county PC's GB18030 names and places). */
function textOf(image: Image, tag: string): string {
  const data = image.data;
  const element = data?.elements[tag];
  if (!data || !element) return '';
  const bytes = data.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
  return new TextDecoder(textEncodingOf(data.string('x00080005'))).decode(bytes).replace(/[\0 ]+$/, '');
}

function orientationOf(image: Image): number[] | null {
  const value = image.data?.string('x00200037');
  if (!value) return null;
  const numbers = value.split('\\').map(Number);
  return numbers.length === 6 ? numbers : null;
}

/** The presenter's laser pointer, where their image pixel falls on this side's canvas. */
function Laser({
  element,
  pointer,
  label,
}: {
  element: HTMLElement;
  pointer: { x: number; y: number };
  label: string;
}): React.JSX.Element {
  const at = cornerstone.pixelToCanvas(element, pointer);
  return (
    <div
      className="viewer-laser"
      role="img"
      aria-label={label}
      data-x={Math.round(pointer.x)}
      data-y={Math.round(pointer.y)}
      style={{ left: at.x, top: at.y }}
    />
  );
}

/** What a pane tells the page: its view, what it drew, how its loading goes, what failed. */
export interface PaneEvents {
  view(view: StackView | null): void;
  rendered(rendered: Rendered): void;
  progress(loaded: number, total: number): void;
  failed(message: string | null): void;
  /** the reader clicked, scrolled or dropped on this pane: it becomes the active one */
  activate(): void;
  /** a series dragged from the list was dropped here */
  drop(series: DraggedSeries): void;
  /** a mark on this pane's image was drawn, moved or removed */
  marksChanged(): void;
}

/**
 * One viewport of the layout: its own series, slice, window and zoom (its own `ViewerController` and cornerstone
 * element), with the overlay, orientation markers and scrollbar of what it shows, and a label naming the study and
 * its date so a prior is never taken for the current study. Images come from the one shared cache.
 */
export function ViewportPane({
  number,
  studyUid,
  studyDate,
  prior,
  series,
  controller,
  active,
  following,
  patient,
  pointer,
  onPointer,
  arrowText,
  attach,
  events,
}: {
  /** counted from 1, as the reader names the viewports */
  number: number;
  studyUid: string | null;
  studyDate: string;
  /** the study is an earlier one of the patient, not the case's own */
  prior: boolean;
  series: ViewerSeries | undefined;
  controller: ViewerController;
  active: boolean;
  following: boolean;
  patient: { name: string; mrn: string };
  pointer: { x: number; y: number } | null;
  onPointer: ((position: { x: number; y: number } | null) => void) | undefined;
  arrowText: ArrowTextRequest | null;
  /** a consult's live marks, on the active pane while it shows the case's study; returns the undo */
  attach?: ((element: HTMLElement, studyUid: string) => () => void) | undefined;
  events: PaneEvents;
}): React.JSX.Element {
  const { t } = useTranslation();
  const elementRef = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<StackView | null>(null);
  const [rendered, setRendered] = useState<Rendered | null>(null);
  const [dropping, setDropping] = useState(false);
  // where the last mark ended, for the arrow's text field to open beside it
  const [lastPoint, setLastPoint] = useState<{ x: number; y: number } | null>(null);
  // read when a series opens, so that becoming or ceasing to be the presenter does not open it again
  const followingRef = useRef(following);
  followingRef.current = following;
  const eventsRef = useRef(events);
  eventsRef.current = events;

  // one cornerstone element for the life of the pane, opened on a series as the reader picks it
  useEffect(() => {
    const element = elementRef.current;
    if (!element || !studyUid) return;
    const stack = new StackView(element, studyUid, controller, {
      rendered: (r) => {
        setRendered(r);
        eventsRef.current.rendered(r);
      },
      progress: (loaded, total) => {
        eventsRef.current.progress(loaded, total);
      },
      failed: (message) => {
        eventsRef.current.failed(message);
      },
    });
    setView(stack);
    eventsRef.current.view(stack);
    return () => {
      stack.close();
      setView(null);
      setRendered(null);
      eventsRef.current.view(null);
    };
  }, [controller, studyUid]);

  useEffect(() => {
    if (!view || !series) return;
    eventsRef.current.failed(null);
    eventsRef.current.progress(0, series.images.length);
    if (followingRef.current && controller.getState().seriesUid === series.uid) {
      // the presenter's slice, window and geometry, not the image's own
      view.open(series, false);
      return;
    }
    controller.setState({ ...INITIAL_VIEW, seriesUid: series.uid });
    view.open(series);
  }, [view, series, controller]);

  // a mark drawn, moved or removed is saved with the case
  useEffect(() => {
    const element = elementRef.current;
    if (!element || !view) return;
    const names = [
      cornerstoneTools.EVENTS.MEASUREMENT_COMPLETED,
      cornerstoneTools.EVENTS.MEASUREMENT_MODIFIED,
      cornerstoneTools.EVENTS.MEASUREMENT_REMOVED,
    ];
    const onChange = (): void => {
      eventsRef.current.marksChanged();
    };
    for (const name of names) element.addEventListener(name, onChange);
    return () => {
      for (const name of names) element.removeEventListener(name, onChange);
    };
  }, [view]);

  useEffect(() => {
    const element = elementRef.current;
    if (!element || !view || !studyUid || !attach) return;
    return attach(element, studyUid);
  }, [view, studyUid, attach]);

  const total = series?.images.length ?? 0;

  // the wheel scrolls this pane's stack (the page itself does not move under the image)
  useEffect(() => {
    const element = elementRef.current;
    if (!element) return;
    const onWheel = (event: WheelEvent): void => {
      event.preventDefault();
      if (!total) return;
      eventsRef.current.activate();
      const index = controller.getState().index + (event.deltaY > 0 ? 1 : -1);
      controller.setState({ index: Math.min(total - 1, Math.max(0, index)) });
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      element.removeEventListener('wheel', onWheel);
    };
  }, [controller, total]);

  const image = rendered?.image;
  const viewport = rendered?.viewport;
  const markers = image && viewport ? edgeMarkers(orientationOf(image), viewport) : null;
  const index = rendered ? rendered.index + 1 : 0;
  const studyLabel = series
    ? t(prior ? 'viewer.priorStudy' : 'viewer.currentStudy', { date: dicomDate(studyDate) })
    : t('viewer.emptyPane');
  const seriesLabel = series
    ? t('viewer.overlay.seriesLine', { number: series.number, description: series.description })
    : '';

  return (
    <div
      role="group"
      aria-label={t('viewer.pane', { number, study: studyLabel })}
      aria-current={active}
      className={['viewer-pane', active ? 'active' : '', dropping ? 'dropping' : ''].join(' ')}
      onMouseDownCapture={() => {
        events.activate();
      }}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes(SERIES_DRAG_TYPE)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDropping(true);
      }}
      onDragLeave={() => {
        setDropping(false);
      }}
      onDrop={(e) => {
        setDropping(false);
        const raw = e.dataTransfer.getData(SERIES_DRAG_TYPE);
        if (!raw) return;
        e.preventDefault();
        events.activate();
        events.drop(JSON.parse(raw) as DraggedSeries);
      }}
    >
      <div className={prior ? 'viewer-pane-head prior' : 'viewer-pane-head'}>
        <span className="viewer-pane-study">{studyLabel}</span>
      </div>
      <div className="viewer-stage">
        <div
          ref={elementRef}
          className="viewer-viewport"
          role="img"
          tabIndex={0}
          aria-label={t('viewer.viewport', { index, total })}
          onContextMenu={(e) => {
            e.preventDefault();
          }}
          onMouseUp={(e) => {
            const box = e.currentTarget.getBoundingClientRect();
            setLastPoint({ x: e.clientX - box.left, y: e.clientY - box.top });
          }}
          onMouseMove={
            onPointer && rendered
              ? (e) => {
                  const element = elementRef.current;
                  if (element) onPointer(cornerstone.pageToPixel(element, e.pageX, e.pageY));
                }
              : undefined
          }
          onMouseLeave={
            onPointer
              ? () => {
                  onPointer(null);
                }
              : undefined
          }
        />
        {pointer && rendered && elementRef.current && (
          <Laser element={elementRef.current} pointer={pointer} label={t('viewer.laser')} />
        )}
        {image && viewport && (
          <div className="viewer-overlay" aria-live="off">
            <div className="corner top-left">
              <bdi lang="">{patient.name}</bdi>
              <div>{patient.mrn}</div>
              <div>{dicomDate(image.data?.string('x00080020') ?? studyDate)}</div>
            </div>
            <div className="corner top-right">
              <div>{textOf(image, 'x00080080')}</div>
              <div>{seriesLabel}</div>
            </div>
            <div className="corner bottom-left" data-testid="overlay-slice">
              <div>{t('viewer.overlay.slice', { index, total })}</div>
              <div>
                {t('viewer.overlay.wl', {
                  center: Math.round(viewport.voi.windowCenter),
                  width: Math.round(viewport.voi.windowWidth),
                })}
              </div>
            </div>
            <div className="corner bottom-right">
              {t('viewer.overlay.zoom', { zoom: Math.round(viewport.scale * 100) })}
            </div>
            {markers && (
              <>
                <div className="marker top">{markers.top}</div>
                <div className="marker right">{markers.right}</div>
                <div className="marker bottom">{markers.bottom}</div>
                <div className="marker left">{markers.left}</div>
              </>
            )}
          </div>
        )}
        {arrowText && <ArrowTextField request={arrowText} at={lastPoint} />}
        <input
          type="range"
          className="viewer-scrollbar"
          aria-label={t('viewer.slice')}
          min={1}
          max={Math.max(1, total)}
          value={Math.max(1, index)}
          disabled={!total}
          onChange={(e) => {
            events.activate();
            controller.setState({ index: Math.min(total - 1, Math.max(0, Number(e.target.value) - 1)) });
          }}
        />
      </div>
    </div>
  );
}
