import type { SharedViewState } from '@telemed/contracts';
import { Button, Typography } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useViewerCase } from '../viewer/viewer-api';
import { ViewerController, type ViewerState } from '../viewer/viewer-controller';
import type { ConsultClient, ConsultState } from './consult-client';

// the viewer (cornerstone, its codecs, the live marks) loads only when the reading is opened
const ConsultViewer = lazy(async () => ({ default: (await import('./ConsultViewer')).ConsultViewer }));

// view changes and pointer moves go out at most this often: smooth to the eye, light on a county uplink
const SEND_EVERY_MS = 40;

function toShared(studyInstanceUid: string, s: ViewerState): SharedViewState {
  return {
    studyInstanceUid,
    seriesInstanceUid: s.seriesUid,
    imageIndex: s.index,
    windowCenter: s.windowCenter,
    windowWidth: s.windowWidth,
    scale: s.scale,
    translation: { x: s.panX, y: s.panY },
    rotation: s.rotation,
    hflip: s.hflip,
    vflip: s.vflip,
    invert: s.invert,
  };
}

function fromShared(v: SharedViewState): Partial<ViewerState> {
  return {
    seriesUid: v.seriesInstanceUid,
    index: v.imageIndex,
    windowCenter: v.windowCenter,
    windowWidth: v.windowWidth,
    scale: v.scale,
    panX: v.translation.x,
    panY: v.translation.y,
    rotation: v.rotation,
    hflip: v.hflip,
    vflip: v.vflip,
    invert: v.invert,
  };
}

/** Calls `send` at most every SEND_EVERY_MS with the latest value; `cancel` drops what is pending. */
function throttled<T>(send: (value: T) => void): { push: (value: T) => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let latest: { value: T } | null = null;
  return {
    push: (value) => {
      latest = { value };
      timer ??= setTimeout(() => {
        timer = null;
        if (latest) send(latest.value);
        latest = null;
      }, SEND_EVERY_MS);
    },
    cancel: () => {
      if (timer) clearTimeout(timer);
      timer = null;
      latest = null;
    },
  };
}

/**
 * The case's study, read together: each side opens it in its own viewer and renders its own pixels; the presenter's
 * series, slice, window/level, zoom, pan, rotation and flips, and a laser pointer, travel as view state and the
 * others' viewers follow them. The presenter opens it; the others open with the first view that arrives. Anyone may
 * draw: marks travel live to every side (see ConsultViewer), and each person clears their own.
 */
export function SharedReading({
  client,
  state,
  caseId,
}: {
  client: ConsultClient;
  state: ConsultState;
  caseId: string;
}): React.JSX.Element {
  const { t } = useTranslation();
  const controller = useMemo(() => new ViewerController(), []);
  const theCase = useViewerCase(caseId);
  const studyUid = theCase.data?.studyInstanceUid ?? null;
  const [opened, setOpened] = useState(false);
  const self = state.self;
  const presenting = self !== null && state.presenterPeerId === self.peerId;
  const shown = opened || state.viewState !== null;
  const myMarks = self ? state.annotations.filter((a) => a.peerId === self.peerId).length : 0;

  // the presenter's viewer sends what it shows, now and at every change
  useEffect(() => {
    if (!presenting || !shown || !studyUid) return;
    const view = throttled((s: ViewerState) => {
      client.shareView(toShared(studyUid, s));
    });
    if (controller.getState().seriesUid) view.push(controller.getState());
    const off = controller.onChange((s) => {
      if (s.seriesUid) view.push(s);
    });
    return () => {
      off();
      view.cancel();
    };
  }, [presenting, shown, studyUid, controller, client]);

  // the others' viewers follow the presenter's
  useEffect(() => {
    if (presenting || !state.viewState) return;
    controller.setState(fromShared(state.viewState));
  }, [presenting, state.viewState, controller]);

  const pointer = useMemo(
    () =>
      throttled((p: { x: number; y: number } | null) => {
        client.sharePointer(p);
      }),
    [client],
  );
  useEffect(() => pointer.cancel, [pointer]);

  return (
    <section className="consult-reading" aria-labelledby="consult-reading-title">
      <header className="consult-reading-head">
        <Typography.Title level={3} id="consult-reading-title" className="consult-side-title">
          {t('consult.reading')}
        </Typography.Title>
        <Typography.Text type="secondary">
          {presenting ? t('consult.readingPresenting') : t('consult.readingFollowing')}
        </Typography.Text>
        {!shown && presenting && studyUid && (
          <Button
            type="primary"
            onClick={() => {
              setOpened(true);
            }}
          >
            {t('consult.openReading')}
          </Button>
        )}
        {shown && studyUid && (
          <Button
            className="consult-clear-marks"
            disabled={myMarks === 0}
            onClick={() => {
              client.clearAnnotations();
            }}
          >
            {t('consult.clearMyMarks')}
          </Button>
        )}
      </header>
      {!studyUid && theCase.isSuccess && <Typography.Text>{t('consult.readingNoStudy')}</Typography.Text>}
      {shown && studyUid && (
        <Suspense fallback={null}>
          <ConsultViewer
            client={client}
            state={state}
            studyUid={studyUid}
            link={{
              controller,
              following: !presenting,
              pointer: presenting ? null : state.pointer,
              ...(presenting ? { onPointer: pointer.push } : {}),
            }}
          />
        </Suspense>
      )}
    </section>
  );
}
