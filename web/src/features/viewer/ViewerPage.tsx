import { permits } from '@telemed/contracts';
import { Alert, Button, Space, Spin, Typography } from 'antd';
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
import {
  dicomDate,
  SERIES_DRAG_TYPE,
  ViewportPane,
  type DraggedSeries,
  type PaneEvents,
} from './ViewportPane';
import { useAnnotations } from './annotations';
import { answerArrowText, type ArrowTextRequest } from './arrow-text';
import { linkedSlice } from './slice-link';
import type { Rendered, StackView } from './stack-view';
import {
  usePriorStudies,
  useViewerCase,
  useViewerStudy,
  type ViewerSeries,
  type ViewerStudy,
} from './viewer-api';
import { CT_PRESETS, ViewerController, type ViewerState } from './viewer-controller';
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

/** The layouts a reader picks from, with how many viewports each shows. */
const LAYOUTS = { '1x1': 1, '1x2': 2, '2x2': 4 } as const;
type Layout = keyof typeof LAYOUTS;
const PANES = 4;

/** What a viewport shows: a series of the case's study or of a prior one. */
interface PaneContent {
  studyUid: string;
  seriesUid: string;
}

/** The image id of a series' middle image: its thumbnail. */
function middleImageId(studyUid: string, series: ViewerSeries): string {
  const image = series.images[Math.floor(series.images.length / 2)] ?? series.images[0];
  return imageIdOf(studyUid, series.uid, image?.sopInstanceUid ?? '', image?.frame);
}

/** The viewport's own item of a list kept per viewport. */
function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no viewport ${String(index + 1)}`);
  return item;
}

/** The keys of a controller's state that changed, with their new values. */
function pick(state: ViewerState, changed: (keyof ViewerState)[]): Partial<ViewerState> {
  return Object.fromEntries(changed.map((key) => [key, state[key]]));
}

/** The series of a prior that goes beside `current`: the same description, else the same modality, else its first. */
function matchingSeries(prior: ViewerStudy, current: ViewerSeries | undefined): ViewerSeries | undefined {
  return (
    prior.series.find((s) => current && s.description && s.description === current.description) ??
    prior.series.find((s) => current && s.modality === current.modality) ??
    prior.series[0]
  );
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
  /** the active viewport once it shows the case's study, for the consult's live marks to listen to and draw on;
   * returns the undo */
  attach?: (element: HTMLElement, studyUid: string) => () => void;
  /** the marks others in the consult drew, for the measurements list */
  othersMarks?: SharedMark[];
}

/**
 * `/cases/:caseId/viewer`: the case's study on cornerstone, for the specialist who reads it and, read only, for
 * everyone else who may see the case. One, two or four viewports, each with its own series, slice, window and zoom;
 * the reader works in the active one. The first image of a series is on screen before the rest has arrived; the rest
 * follows in the background into one bounded cache, with its progress shown. The patient's earlier studies open
 * beside the current one, scrolled together by patient position. In a consult, `link` ties the active viewport to
 * the presenter's view.
 */
export function ViewerPage({ link }: { link?: ViewerLink } = {}): React.JSX.Element {
  const { caseId = '' } = useParams();
  const { t } = useTranslation();
  const session = useSession();
  const theCase = useViewerCase(caseId);
  const studyUid = theCase.data?.studyInstanceUid ?? null;
  const study = useViewerStudy(studyUid);
  const priorStudies = usePriorStudies(caseId, !!theCase.data);
  const [priorUid, setPriorUid] = useState<string | null>(null);
  const prior = useViewerStudy(priorUid);
  const following = link?.following ?? false;
  // one controller per viewport for the life of the page
  const controllers = useMemo(() => Array.from({ length: PANES }, () => new ViewerController()), []);
  const views = useRef<(StackView | null)[]>(Array.from({ length: PANES }, () => null));
  const [viewCount, setViewCount] = useState(0);
  const [renders, setRenders] = useState<(Rendered | null)[]>(() =>
    Array.from({ length: PANES }, () => null),
  );
  const [progress, setProgress] = useState<({ loaded: number; total: number } | null)[]>(() =>
    Array.from({ length: PANES }, () => null),
  );
  const [failures, setFailures] = useState<(string | null)[]>(() =>
    Array.from({ length: PANES }, () => null),
  );
  const [contents, setContents] = useState<(PaneContent | null)[]>(() =>
    Array.from({ length: PANES }, () => null),
  );
  const [layout, setLayout] = useState<Layout>('1x1');
  const [activeIndex, setActiveIndex] = useState(0);
  const [linked, setLinked] = useState(false);
  // a prior asked for whose series is not read yet: it opens beside the current study once it is
  const [pendingPrior, setPendingPrior] = useState<string | null>(null);
  const [arrowText, setArrowText] = useState<ArrowTextRequest | null>(null);
  const [tool, setTool] = useState<ToolName>(TOOL.wwwc);
  const [cine, setCine] = useState(false);
  const [fps, setFps] = useState(10);

  const count = LAYOUTS[layout];
  const active = Math.min(activeIndex, count - 1);
  const controller = at(controllers, active);

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

  const studyOf = useCallback(
    (uid: string | undefined): ViewerStudy | undefined =>
      uid === studyUid ? study.data : uid === priorUid ? prior.data : undefined,
    [studyUid, study.data, priorUid, prior.data],
  );
  const paneSeries = useMemo(
    () =>
      contents.map((content) =>
        content ? studyOf(content.studyUid)?.series.find((s) => s.uid === content.seriesUid) : undefined,
      ),
    [contents, studyOf],
  );
  const series = paneSeries[active];
  const activeContent = contents[active];

  const redraw = useCallback(() => {
    for (const view of views.current) view?.redraw();
  }, []);
  const annotations = useAnnotations(
    caseId,
    studyUid,
    study.data?.series,
    mayAnnotate,
    viewCount > 0,
    redraw,
  );
  const { changed: annotationsChanged } = annotations;

  useEffect(() => {
    setUpCornerstone();
    return keepTokenFresh();
  }, []);

  // the arrow tool asks for its text here, in the active viewport
  useEffect(() => {
    let pending: ArrowTextRequest | null = null;
    const release = answerArrowText((request) => {
      pending?.done(null);
      pending = request;
      setArrowText({
        initial: request.initial,
        done: (text) => {
          pending = null;
          setArrowText(null);
          request.done(text);
        },
      });
    });
    return () => {
      release();
      pending?.done(null);
    };
  }, []);

  const openIn = useCallback((index: number, content: PaneContent) => {
    setContents((before) => before.map((c0, i) => (i === index ? content : c0)));
  }, []);

  // the first series opens by itself
  useEffect(() => {
    const first = study.data?.series[0];
    if (first && studyUid && !contents[0]) openIn(0, { studyUid, seriesUid: first.uid });
  }, [study.data, studyUid, contents, openIn]);

  // the active viewport and the consult's shared view are one: the presenter's drives the link, the link drives
  // a follower's
  const linkController = link?.controller;
  useEffect(() => {
    if (!linkController) return;
    if (following) controller.setState(linkController.getState());
    else linkController.setState(controller.getState());
    const offPane = controller.onChange((state, changed) => {
      linkController.setState(pick(state, changed));
    });
    const offLink = linkController.onChange((state, changed) => {
      controller.setState(pick(state, changed));
    });
    return () => {
      offPane();
      offLink();
    };
  }, [linkController, controller, following]);

  // a follower opens the series the presenter opened, in its active viewport
  useEffect(() => {
    if (!following || !studyUid) return;
    const wanted = controller.getState().seriesUid;
    if (wanted && wanted !== activeContent?.seriesUid) openIn(active, { studyUid, seriesUid: wanted });
    return controller.onChange((state, changed) => {
      if (changed.includes('seriesUid') && state.seriesUid) {
        openIn(active, { studyUid, seriesUid: state.seriesUid });
      }
    });
  }, [controller, following, studyUid, active, activeContent, openIn]);

  // a prior asked for opens beside the current study: in the other viewport, two side by side if there was one
  useEffect(() => {
    if (!pendingPrior || pendingPrior !== priorUid || !prior.data) return;
    setPendingPrior(null);
    const beside = matchingSeries(prior.data, series);
    if (!beside) return;
    const shown = layout === '1x1' ? 2 : count;
    if (layout === '1x1') setLayout('1x2');
    const target = Array.from({ length: shown }, (_, i) => i).find((i) => i !== active) ?? 1;
    openIn(target, { studyUid: prior.data.uid, seriesUid: beside.uid });
    setLinked(true);
  }, [pendingPrior, priorUid, prior.data, series, layout, count, active, openIn]);

  // linked scrolling: a viewport the reader scrolls takes the others to the slice nearest in patient position; the
  // listeners read the layout as it is now, since a viewport opens its series before this effect sees it
  const shownRef = useRef({ paneSeries, count, active });
  shownRef.current = { paneSeries, count, active };
  const linkKey = paneSeries
    .slice(0, count)
    .map((s) => s?.uid ?? '')
    .join('|');
  useEffect(() => {
    if (!linked) return;
    let aligning = false;
    /** Takes each of `targets` to the slice that goes with slice `index` of viewport `from`. */
    const align = (from: number, index: number, targets: number[]): void => {
      const source = shownRef.current.paneSeries[from];
      if (!source) return;
      aligning = true;
      try {
        for (const i of targets) {
          const target = shownRef.current.paneSeries[i];
          if (i === from || !target) continue;
          const to = linkedSlice(
            source.geometry,
            source.images.length,
            index,
            target.geometry,
            target.images.length,
          );
          controllers[i]?.setState({ index: to.index });
        }
      } finally {
        aligning = false;
      }
    };
    const others = (): number[] => Array.from({ length: shownRef.current.count }, (_, i) => i);
    const fromActive = (): void => {
      const { active: from } = shownRef.current;
      align(from, controllers[from]?.getState().index ?? 0, others());
    };
    // linking turned on or another series shown: the others come to the active viewport's slice
    fromActive();
    const offs = controllers.map((own, i) =>
      own.onChange((state, changed) => {
        if (aligning || i >= shownRef.current.count) return;
        if (changed.includes('seriesUid')) {
          // a series opened beside the active one starts at the active one's slice; one opened in the active
          // viewport takes the others along
          const { active: from } = shownRef.current;
          if (i === from) fromActive();
          else align(from, controllers[from]?.getState().index ?? 0, [i]);
          return;
        }
        if (changed.includes('index')) align(i, state.index, others());
      }),
    );
    return () => {
      for (const off of offs) off();
    };
  }, [linked, linkKey, controllers]);

  // the active tool takes the left button; the others wait, and a reader who may not measure only sees the marks
  useEffect(() => {
    if (!viewCount) return;
    for (const name of TOOLBAR_TOOLS) {
      if (name === tool) cornerstoneTools.setToolActive(name, { mouseButtonMask: 1 });
      else if (MEASUREMENT_TOOLS.includes(name) && !mayDraw) cornerstoneTools.setToolEnabled(name);
      else cornerstoneTools.setToolPassive(name);
    }
    // the right button zooms and the middle one pans whatever the left one does
    if (tool !== TOOL.zoom) cornerstoneTools.setToolActive(TOOL.zoom, { mouseButtonMask: 2 });
    if (tool !== TOOL.pan) cornerstoneTools.setToolActive(TOOL.pan, { mouseButtonMask: 4 });
  }, [tool, viewCount, mayDraw]);

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

  const rendered = renders[active] ?? null;
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
    views.current[active]?.reset();
  }, [active]);

  // keys: scroll, tools, invert, reset, on the active viewport; not while typing in a field
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

  // cine: the active stack plays at the chosen frame rate, round and round
  useEffect(() => {
    if (!cine || total < 2) return;
    const timer = setInterval(() => {
      scrollTo((controller.getState().index + 1) % total);
    }, 1000 / fps);
    return () => {
      clearInterval(timer);
    };
  }, [cine, fps, total, controller, scrollTo]);

  // what each viewport reports, kept by its place in the layout
  const paneEvents = useMemo(
    () =>
      Array.from({ length: PANES }, (_, i): PaneEvents => ({
        view: (view) => {
          views.current[i] = view;
          setViewCount(views.current.filter(Boolean).length);
        },
        rendered: (r) => {
          setRenders((before) => before.map((x, k) => (k === i ? r : x)));
        },
        progress: (loaded, all) => {
          setProgress((before) => before.map((x, k) => (k === i ? { loaded, total: all } : x)));
        },
        failed: (message) => {
          setFailures((before) => before.map((x, k) => (k === i ? message : x)));
        },
        activate: () => {
          setActiveIndex(i);
        },
        drop: (dropped) => {
          openIn(i, dropped);
        },
        marksChanged: () => {
          annotationsChanged();
        },
      })),
    [openIn, annotationsChanged],
  );

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

  const viewport = rendered?.viewport;
  const activeProgress = progress[active];
  const percent =
    activeProgress && activeProgress.total
      ? Math.round((activeProgress.loaded / activeProgress.total) * 100)
      : 0;
  const failure = failures.slice(0, count).find(Boolean);
  const anyRendered = renders.some(Boolean);
  const priors = priorStudies.data ?? [];

  /** A series of a study as the list shows it: click opens it in the active viewport, or drag it onto one. */
  const seriesButton = (uid: string, s: ViewerSeries): React.JSX.Element => (
    <button
      key={`${uid}/${s.uid}`}
      type="button"
      draggable
      className={
        activeContent?.studyUid === uid && activeContent.seriesUid === s.uid
          ? 'viewer-series-item active'
          : 'viewer-series-item'
      }
      aria-current={activeContent?.studyUid === uid && activeContent.seriesUid === s.uid}
      onClick={() => {
        openIn(active, { studyUid: uid, seriesUid: s.uid });
      }}
      onDragStart={(e) => {
        const dragged: DraggedSeries = { studyUid: uid, seriesUid: s.uid };
        e.dataTransfer.setData(SERIES_DRAG_TYPE, JSON.stringify(dragged));
        e.dataTransfer.effectAllowed = 'copy';
      }}
    >
      <SeriesThumbnail imageId={middleImageId(uid, s)} start={anyRendered} />
      {t('viewer.seriesItem', {
        number: s.number,
        modality: s.modality,
        description: s.description || '—',
        count: s.images.length,
      })}
    </button>
  );

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
        <Space.Compact role="group" aria-label={t('viewer.layout')}>
          {(Object.keys(LAYOUTS) as Layout[]).map((name) => (
            <Button
              key={name}
              type={layout === name ? 'primary' : 'default'}
              aria-pressed={layout === name}
              onClick={() => {
                setLayout(name);
              }}
            >
              {name}
            </Button>
          ))}
        </Space.Compact>
        <Button
          type={linked ? 'primary' : 'default'}
          aria-pressed={linked}
          title={t('viewer.linkHint')}
          onClick={() => {
            setLinked(!linked);
          }}
        >
          {t('viewer.link')}
        </Button>
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
      {prior.isError && (
        <Alert type="error" showIcon title={t('viewer.studyFailed', { message: prior.error.message })} />
      )}
      {!studyUid && <Alert type="info" showIcon title={t('viewer.noStudy')} />}
      {failure && <Alert type="error" showIcon title={t('viewer.imageFailed', { message: failure })} />}
      <div className="viewer-body">
        <nav aria-label={t('viewer.series')} className="viewer-series">
          {study.isLoading && <Spin aria-label={t('viewer.loadingStudy')} />}
          {studyUid && study.data?.series.map((s) => seriesButton(studyUid, s))}
          <section aria-labelledby="viewer-priors" className="viewer-priors">
            <h3 id="viewer-priors" className="panel-title">
              {t('viewer.priors')}
            </h3>
            {priorStudies.isSuccess && priors.length === 0 && (
              <p className="viewer-hint">{t('viewer.noPriors')}</p>
            )}
            {priors.map((p) => (
              <div key={p.studyInstanceUid} className="viewer-prior">
                <button
                  type="button"
                  className={
                    priorUid === p.studyInstanceUid
                      ? 'viewer-series-item viewer-prior-button active'
                      : 'viewer-series-item viewer-prior-button'
                  }
                  aria-pressed={priorUid === p.studyInstanceUid}
                  onClick={() => {
                    setPriorUid(p.studyInstanceUid);
                    setPendingPrior(p.studyInstanceUid);
                  }}
                >
                  {t('viewer.openPrior', {
                    date: dicomDate(p.studyDate) || '—',
                    modalities: p.modalities.join('/'),
                    description: p.studyDescription || p.bodyPart || '',
                  })}
                </button>
                {priorUid === p.studyInstanceUid &&
                  (prior.isLoading ? (
                    <Spin aria-label={t('viewer.loadingStudy')} />
                  ) : (
                    prior.data?.series.map((s) => seriesButton(p.studyInstanceUid, s))
                  ))}
              </div>
            ))}
          </section>
        </nav>
        <div className={`viewer-grid layout-${layout}`}>
          {contents.slice(0, count).map((content, i) => {
            const paneStudy = studyOf(content?.studyUid);
            return (
              <ViewportPane
                key={i}
                number={i + 1}
                studyUid={content?.studyUid ?? null}
                studyDate={paneStudy?.date ?? ''}
                prior={!!content && content.studyUid !== studyUid}
                series={paneSeries[i]}
                controller={at(controllers, i)}
                active={i === active && count > 1}
                following={following && i === active}
                patient={c.patient}
                pointer={i === active ? (link?.pointer ?? null) : null}
                onPointer={i === active ? link?.onPointer : undefined}
                arrowText={i === active ? arrowText : null}
                attach={i === active && content?.studyUid === studyUid ? link?.attach : undefined}
                events={at(paneEvents, i)}
              />
            );
          })}
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
              {activeProgress
                ? t('viewer.progressText', { loaded: activeProgress.loaded, total: activeProgress.total })
                : ''}
            </span>
          </div>
          <MeasurementList
            annotations={annotations}
            series={activeContent?.studyUid === studyUid ? series : undefined}
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
