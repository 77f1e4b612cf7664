import { permits } from '@telemed/contracts';
import { Alert, Button, Space, Spin, Typography } from 'antd';
import * as cornerstone from 'cornerstone-core';
import type { Image } from 'cornerstone-core';
import * as cornerstoneTools from 'cornerstone-tools';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Outcome } from '../../components/Outcome';
import { ApiError } from '../../lib/api-client';
import { useSession } from '../auth/useSession';
import {
  imageIdOf,
  keepTokenFresh,
  MEASUREMENT_TOOLS,
  setUpCornerstone,
  TOOL,
  type ToolName,
} from './cornerstone-setup';
import { MeasurementList, type SharedMark } from './MeasurementList';
import { SeriesThumbnail } from './SeriesThumbnail';
import { useAnnotations } from './annotations';
import { edgeMarkers } from './orientation';
import { StackView, type Rendered } from './stack-view';
import { useViewerCase, useViewerStudy, type ViewerSeries } from './viewer-api';
import { CT_PRESETS, INITIAL_VIEW, ViewerController } from './viewer-controller';
import './messages';
import './viewer.css';

const TOOL_KEYS: Record<string, ToolName> = {
  w: TOOL.wwwc,
  p: TOOL.pan,
  z: TOOL.zoom,
  l: TOOL.length,
  a: TOOL.angle,
  e: TOOL.ellipse,
  r: TOOL.rectangle,
  t: TOOL.arrow,
};
const TOOLBAR_TOOLS: ToolName[] = [
  TOOL.wwwc,
  TOOL.pan,
  TOOL.zoom,
  TOOL.rotate,
  TOOL.length,
  TOOL.angle,
  TOOL.ellipse,
  TOOL.rectangle,
  TOOL.arrow,
];
const FRAME_RATES = [5, 10, 15, 20, 30];

/** A DICOM date (YYYYMMDD) as YYYY-MM-DD. */
const dicomDate = (da: string | undefined): string =>
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

/** The image id of a series' middle image: its thumbnail. */
function middleImageId(studyUid: string, series: ViewerSeries): string {
  const image = series.images[Math.floor(series.images.length / 2)] ?? series.images[0];
  return imageIdOf(studyUid, series.uid, image?.sopInstanceUid ?? '', image?.frame);
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

function orientationOf(image: Image): number[] | null {
  const value = image.data?.string('x00200037');
  if (!value) return null;
  const numbers = value.split('\\').map(Number);
  return numbers.length === 6 ? numbers : null;
}

/**
 * A viewer driven from outside: a video consult's shared reading. The presenter's viewer writes its state to the
 * controller and its pointer to `onPointer`; a follower's viewer is driven by the controller and draws the
 * presenter's pointer. Each side renders its own pixels; only this state travels.
 */
export interface ViewerLink {
  controller: ViewerController;
  /** true while another participant presents: a series chosen there opens here with the presenter's view */
  following: boolean;
  /** the presenter's laser pointer, in image pixels of the image shown; null when off the image */
  pointer: { x: number; y: number } | null;
  /** the local pointer over the image, for the presenter's viewer to share */
  onPointer?: (position: { x: number; y: number } | null) => void;
  /** everyone in the consult may draw marks, which travel live; only who may annotate the case saves theirs to it */
  drawing?: boolean;
  /** the viewport once it shows the study, for the consult's live marks to listen to and draw on; returns the undo */
  attach?: (element: HTMLElement, studyUid: string) => () => void;
  /** the marks others in the consult drew, for the measurements list */
  othersMarks?: SharedMark[];
}

/**
 * `/cases/:caseId/viewer`: the case's study on cornerstone, for the specialist who reads it and, read only, for
 * everyone else who may see the case. The first image of a series is on screen before the rest has arrived; the
 * rest follows in the background into a bounded cache, with its progress shown. In a consult, `link` ties it to
 * the presenter's view.
 */
export function ViewerPage({ link }: { link?: ViewerLink } = {}): React.JSX.Element {
  const { caseId = '' } = useParams();
  const { t } = useTranslation();
  const session = useSession();
  const theCase = useViewerCase(caseId);
  const studyUid = theCase.data?.studyInstanceUid ?? null;
  const study = useViewerStudy(studyUid);
  const linked = link?.controller;
  const following = link?.following ?? false;
  // read when a series opens, so that becoming or ceasing to be the presenter does not open it again
  const followingRef = useRef(following);
  followingRef.current = following;
  const controller = useMemo(() => linked ?? new ViewerController(), [linked]);
  const elementRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<StackView | null>(null);
  const [view, setView] = useState<StackView | null>(null);
  const [rendered, setRendered] = useState<Rendered | null>(null);
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [tool, setTool] = useState<ToolName>(TOOL.wwwc);
  const [seriesUid, setSeriesUid] = useState<string | null>(null);
  const [cine, setCine] = useState(false);
  const [fps, setFps] = useState(10);

  const c = theCase.data;
  const user = session?.user;
  const mayAnnotate =
    !!c &&
    !!user &&
    permits(
      { userId: user.id, role: user.role, hospitalId: user.hospitalId, departmentId: user.departmentId },
      'annotate',
      c,
    );
  // in a consult everyone may draw; the marks of who may not annotate the case travel live and are never saved
  const mayDraw = mayAnnotate || (link?.drawing ?? false);
  const annotations = useAnnotations(caseId, studyUid, study.data?.series, mayAnnotate, view);
  const { changed: annotationsChanged } = annotations;

  const series: ViewerSeries | undefined = study.data?.series.find((s) => s.uid === seriesUid);

  useEffect(() => {
    setUpCornerstone();
    return keepTokenFresh();
  }, []);

  // the first series opens by itself
  useEffect(() => {
    const first = study.data?.series[0];
    if (first && !seriesUid) setSeriesUid(first.uid);
  }, [study.data, seriesUid]);

  // one cornerstone viewport for the life of the page, opened on a series as the reader picks it
  useEffect(() => {
    const element = elementRef.current;
    if (!element || !studyUid || !study.data) return;
    const stack = new StackView(element, studyUid, controller, {
      rendered: setRendered,
      progress: (loaded, total) => {
        setProgress({ loaded, total });
      },
      failed: setFailure,
    });
    viewRef.current = stack;
    setView(stack);
    return () => {
      stack.close();
      viewRef.current = null;
      setView(null);
    };
  }, [controller, studyUid, study.data]);

  // a follower opens the series the presenter opened
  useEffect(() => {
    if (!following) return;
    const wanted = controller.getState().seriesUid;
    if (wanted && wanted !== seriesUid) setSeriesUid(wanted);
    return controller.onChange((state, changed) => {
      if (changed.includes('seriesUid') && state.seriesUid) setSeriesUid(state.seriesUid);
    });
  }, [controller, following, seriesUid]);

  useEffect(() => {
    if (!view || !series) return;
    setFailure(null);
    setProgress({ loaded: 0, total: series.images.length });
    if (followingRef.current && controller.getState().seriesUid === series.uid) {
      // the presenter's slice, window and geometry, not the image's own
      view.open(series, false);
      return;
    }
    controller.setState({ ...INITIAL_VIEW, seriesUid: series.uid });
    view.open(series);
  }, [view, series, controller]);

  // the active tool takes the left button; the others wait, and a reader who may not measure only sees the marks
  useEffect(() => {
    if (!view) return;
    for (const name of TOOLBAR_TOOLS) {
      if (name === tool) cornerstoneTools.setToolActive(name, { mouseButtonMask: 1 });
      else if (MEASUREMENT_TOOLS.includes(name) && !mayDraw) cornerstoneTools.setToolEnabled(name);
      else cornerstoneTools.setToolPassive(name);
    }
    // the right button zooms and the middle one pans whatever the left one does
    if (tool !== TOOL.zoom) cornerstoneTools.setToolActive(TOOL.zoom, { mouseButtonMask: 2 });
    if (tool !== TOOL.pan) cornerstoneTools.setToolActive(TOOL.pan, { mouseButtonMask: 4 });
  }, [tool, view, mayDraw]);

  // a mark drawn, moved or removed is saved with the case
  useEffect(() => {
    const element = elementRef.current;
    if (!element || !view) return;
    const events = [
      cornerstoneTools.EVENTS.MEASUREMENT_COMPLETED,
      cornerstoneTools.EVENTS.MEASUREMENT_MODIFIED,
      cornerstoneTools.EVENTS.MEASUREMENT_REMOVED,
    ];
    const onChange = (): void => {
      annotationsChanged();
    };
    for (const name of events) element.addEventListener(name, onChange);
    return () => {
      for (const name of events) element.removeEventListener(name, onChange);
    };
  }, [view, annotationsChanged]);

  const attach = link?.attach;
  useEffect(() => {
    const element = elementRef.current;
    if (!element || !view || !studyUid || !attach) return;
    return attach(element, studyUid);
  }, [view, studyUid, attach]);

  const total = series?.images.length ?? 0;
  const scrollTo = useCallback(
    (index: number) => {
      if (!total) return;
      controller.setState({ index: Math.min(total - 1, Math.max(0, index)) });
    },
    [controller, total],
  );
  const scrollBy = useCallback(
    (delta: number) => {
      scrollTo(controller.getState().index + delta);
    },
    [controller, scrollTo],
  );

  // the wheel scrolls the stack (the page itself does not move under the image)
  useEffect(() => {
    const element = elementRef.current;
    if (!element) return;
    const onWheel = (event: WheelEvent): void => {
      event.preventDefault();
      scrollBy(event.deltaY > 0 ? 1 : -1);
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      element.removeEventListener('wheel', onWheel);
    };
  }, [scrollBy]);

  const applyPreset = useCallback(
    (id: string) => {
      if (id === 'auto') {
        const image = rendered?.image;
        if (!image) return;
        const low = image.minPixelValue * image.slope + image.intercept;
        const high = image.maxPixelValue * image.slope + image.intercept;
        controller.setState({ windowCenter: (low + high) / 2, windowWidth: Math.max(1, high - low) });
        return;
      }
      const preset = CT_PRESETS.find((p) => p.id === id);
      if (preset) controller.setState({ windowCenter: preset.center, windowWidth: preset.width });
    },
    [controller, rendered],
  );
  const toggle = useCallback(
    (key: 'invert' | 'hflip' | 'vflip') => {
      controller.setState({ [key]: !controller.getState()[key] });
    },
    [controller],
  );
  const rotateRight = useCallback(() => {
    controller.setState({ rotation: (controller.getState().rotation + 90) % 360 });
  }, [controller]);
  const reset = useCallback(() => {
    viewRef.current?.reset();
  }, []);

  // keys: scroll, tools, invert, reset; not while typing in a field
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const steps: Record<string, () => void> = {
        ArrowDown: () => {
          scrollBy(1);
        },
        ArrowRight: () => {
          scrollBy(1);
        },
        ArrowUp: () => {
          scrollBy(-1);
        },
        ArrowLeft: () => {
          scrollBy(-1);
        },
        PageDown: () => {
          scrollBy(10);
        },
        PageUp: () => {
          scrollBy(-10);
        },
        Home: () => {
          scrollTo(0);
        },
        End: () => {
          scrollTo(total - 1);
        },
        i: () => {
          toggle('invert');
        },
        '0': reset,
      };
      const step = steps[event.key];
      const toolKey = TOOL_KEYS[event.key.toLowerCase()];
      if (step) step();
      else if (toolKey && (mayDraw || !MEASUREMENT_TOOLS.includes(toolKey))) setTool(toolKey);
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
    };
  }, [scrollBy, scrollTo, toggle, reset, total, mayDraw]);

  // cine: the stack plays at the chosen frame rate, round and round
  useEffect(() => {
    if (!cine || total < 2) return;
    const timer = setInterval(() => {
      scrollTo((controller.getState().index + 1) % total);
    }, 1000 / fps);
    return () => {
      clearInterval(timer);
    };
  }, [cine, fps, total, controller, scrollTo]);

  if (theCase.isError) {
    const missing = theCase.error instanceof ApiError && theCase.error.status === 404;
    return (
      <Outcome
        status={missing ? '404' : 'error'}
        title={missing ? t('viewer.caseMissing') : theCase.error.message}
        extra={<Link to="/cases">{t('viewer.backToCase')}</Link>}
      />
    );
  }
  if (!c) return <Spin aria-label={t('viewer.loadingStudy')} />;

  const image = rendered?.image;
  const shownSeries = study.data?.series.find((s) => s.uid === rendered?.seriesUid);
  const viewport = rendered?.viewport;
  const markers = image && viewport ? edgeMarkers(orientationOf(image), viewport) : null;
  const index = rendered ? rendered.index + 1 : 0;
  const percent = progress && progress.total ? Math.round((progress.loaded / progress.total) * 100) : 0;

  return (
    <section aria-labelledby="viewer-title" className="viewer-page">
      <div className="viewer-head">
        <Typography.Title level={2} id="viewer-title" className="viewer-title">
          {t('viewer.title')} · <bdi lang="">{c.patient.name}</bdi>
        </Typography.Title>
        <span className="viewer-exam">
          {[c.modality, c.bodyPart, dicomDate(study.data?.date)].filter(Boolean).join(' · ')}
        </span>
        <Link className="viewer-back" to={`/cases/${c.id}`}>
          {t('viewer.backToCase')}
        </Link>
      </div>
      <div role="toolbar" aria-label={t('viewer.toolbar')} className="viewer-toolbar">
        <Space.Compact>
          {TOOLBAR_TOOLS.filter((name) => mayDraw || !MEASUREMENT_TOOLS.includes(name)).map((name) => (
            <Button
              key={name}
              type={tool === name ? 'primary' : 'default'}
              aria-pressed={tool === name}
              onClick={() => {
                setTool(name);
              }}
            >
              {t(`viewer.tools.${name}`)}
            </Button>
          ))}
        </Space.Compact>
        <Space.Compact role="group" aria-label={t('viewer.presets')}>
          {[...CT_PRESETS.map((p) => p.id), 'auto'].map((id) => (
            <Button
              key={id}
              onClick={() => {
                applyPreset(id);
              }}
            >
              {t(`viewer.preset.${id}`)}
            </Button>
          ))}
        </Space.Compact>
        <Space.Compact>
          <Button
            aria-pressed={viewport?.invert ?? false}
            onClick={() => {
              toggle('invert');
            }}
          >
            {t('viewer.invert')}
          </Button>
          <Button onClick={rotateRight}>{t('viewer.rotateRight')}</Button>
          <Button
            aria-pressed={viewport?.hflip ?? false}
            onClick={() => {
              toggle('hflip');
            }}
          >
            {t('viewer.flipH')}
          </Button>
          <Button
            aria-pressed={viewport?.vflip ?? false}
            onClick={() => {
              toggle('vflip');
            }}
          >
            {t('viewer.flipV')}
          </Button>
          <Button onClick={reset}>{t('viewer.reset')}</Button>
        </Space.Compact>
        <Space.Compact>
          <Button
            aria-pressed={cine}
            onClick={() => {
              setCine(!cine);
            }}
          >
            {cine ? t('viewer.stop') : t('viewer.cine')}
          </Button>
          <select
            aria-label={t('viewer.frameRate')}
            className="viewer-fps"
            value={fps}
            onChange={(e) => {
              setFps(Number(e.target.value));
            }}
          >
            {FRAME_RATES.map((f) => (
              <option key={f} value={f}>
                {t('viewer.fps', { fps: f })}
              </option>
            ))}
          </select>
        </Space.Compact>
      </div>
      {study.isError && (
        <Alert type="error" showIcon title={t('viewer.studyFailed', { message: study.error.message })} />
      )}
      {!studyUid && <Alert type="info" showIcon title={t('viewer.noStudy')} />}
      {failure && <Alert type="error" showIcon title={t('viewer.imageFailed', { message: failure })} />}
      <div className="viewer-body">
        <nav aria-label={t('viewer.series')} className="viewer-series">
          {study.isLoading && <Spin aria-label={t('viewer.loadingStudy')} />}
          {study.data?.series.map((s) => (
            <button
              key={s.uid}
              type="button"
              className={s.uid === seriesUid ? 'viewer-series-item active' : 'viewer-series-item'}
              aria-current={s.uid === seriesUid}
              onClick={() => {
                setSeriesUid(s.uid);
              }}
            >
              {studyUid && <SeriesThumbnail imageId={middleImageId(studyUid, s)} start={!!rendered} />}
              {t('viewer.seriesItem', {
                number: s.number,
                modality: s.modality,
                description: s.description || '—',
                count: s.images.length,
              })}
            </button>
          ))}
        </nav>
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
            onMouseMove={
              link?.onPointer && rendered
                ? (e) => {
                    const element = elementRef.current;
                    if (element) link.onPointer?.(cornerstone.pageToPixel(element, e.pageX, e.pageY));
                  }
                : undefined
            }
            onMouseLeave={link?.onPointer ? () => link.onPointer?.(null) : undefined}
          />
          {link?.pointer && rendered && elementRef.current && (
            <Laser element={elementRef.current} pointer={link.pointer} label={t('viewer.laser')} />
          )}
          {image && viewport && (
            <div className="viewer-overlay" aria-live="off">
              <div className="corner top-left">
                <bdi lang="">{c.patient.name}</bdi>
                <div>{c.patient.mrn}</div>
                <div>{dicomDate(image.data?.string('x00080020') ?? study.data?.date)}</div>
              </div>
              <div className="corner top-right">
                <div>{textOf(image, 'x00080080')}</div>
                <div>
                  {t('viewer.overlay.seriesLine', {
                    number: shownSeries?.number ?? '',
                    description: shownSeries?.description ?? '',
                  })}
                </div>
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
          <input
            type="range"
            className="viewer-scrollbar"
            aria-label={t('viewer.slice')}
            min={1}
            max={Math.max(1, total)}
            value={Math.max(1, index)}
            onChange={(e) => {
              scrollTo(Number(e.target.value) - 1);
            }}
          />
        </div>
        <aside className="viewer-side">
          <div className="viewer-progress">
            <div
              role="progressbar"
              aria-label={t('viewer.progress')}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              className="viewer-progress-track"
            >
              <div className="viewer-progress-bar" style={{ width: `${percent}%` }} />
            </div>
            <span className="viewer-progress-text">
              {progress ? t('viewer.progressText', { loaded: progress.loaded, total: progress.total }) : ''}
            </span>
          </div>
          <MeasurementList
            annotations={annotations}
            series={series}
            readOnly={!mayDraw}
            liveOnly={mayDraw && !mayAnnotate}
            others={link?.othersMarks}
            onOpen={(i) => {
              scrollTo(i);
            }}
          />
          <p className="viewer-keys">{t('viewer.keys')}</p>
        </aside>
      </div>
    </section>
  );
}
