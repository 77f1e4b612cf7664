import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ViewerPage, type ViewerLink } from '../viewer/ViewerPage';
import type { SharedMark } from '../viewer/MeasurementList';
import { useViewerStudy } from '../viewer/viewer-api';
import type { ConsultClient, ConsultState } from './consult-client';
import { colourOf, LiveMarks, type OthersMark } from './live-annotations';

/**
 * The viewer of a consult's shared reading, with the live marks: what this side draws goes to the others as it is
 * made, and what they draw appears here on the same image, in their colour and listed with their name. Loaded with
 * the viewer, so the consult's own screen carries none of cornerstone.
 */
export function ConsultViewer({
  client,
  state,
  studyUid,
  link,
}: {
  client: ConsultClient;
  state: ConsultState;
  studyUid: string;
  link: ViewerLink;
}): React.JSX.Element {
  const study = useViewerStudy(studyUid);
  const [marks, setMarks] = useState<LiveMarks | null>(null);
  const [measuredAt, setMeasuredAt] = useState(0);

  // where each image of the study is in its series, for the measurements list on the others' side
  const positions = useRef(new Map<string, number>());
  useEffect(() => {
    const map = new Map<string, number>();
    for (const s of study.data?.series ?? [])
      s.images.forEach((image, index) => {
        map.set(`${s.uid}/${image.sopInstanceUid}/${String(image.frame ?? '')}`, index);
      });
    positions.current = map;
  }, [study.data]);

  const attach = useCallback(
    (element: HTMLElement, uid: string) => {
      const live = new LiveMarks(
        element,
        uid,
        {
          share: (draft) => {
            client.shareAnnotation(draft);
          },
          remove: (id) => {
            client.removeAnnotation(id);
          },
        },
        (series, sop, frame) => positions.current.get(`${series}/${sop}/${String(frame ?? '')}`),
      );
      const off = live.onMeasured(() => {
        setMeasuredAt((n) => n + 1);
      });
      setMarks(live);
      return () => {
        off();
        live.close();
        setMarks(null);
      };
    },
    [client],
  );

  const self = state.self?.peerId ?? null;
  const others: OthersMark[] = useMemo(() => {
    const colours = new Map(state.peers.map((p) => [p.peerId, colourOf(p.userId)]));
    return state.annotations
      .filter((a) => a.peerId !== self)
      .map((mark) => ({ mark, colour: colours.get(mark.peerId) ?? colourOf(mark.peerId) }));
  }, [state.annotations, state.peers, self]);

  useEffect(() => {
    marks?.show(others);
  }, [marks, others]);

  // this side's marks that left the consult's state (cleared) leave this viewer too; only ones the state once held,
  // so a mark drawn this instant is never taken for a cleared one
  const sharedMine = useRef(new Set<string>());
  useEffect(() => {
    if (!marks || !self) return;
    const now = new Set(state.annotations.filter((a) => a.peerId === self).map((a) => a.id));
    const gone = [...sharedMine.current].filter((id) => !now.has(id));
    sharedMine.current = now;
    if (gone.length) marks.forget(gone);
  }, [marks, state.annotations, self]);

  // measured again each time a drawing here measured the others' marks (`measuredAt`)
  const othersMarks: SharedMark[] = useMemo(() => {
    const names = new Map(state.peers.map((p) => [p.peerId, p.displayName]));
    return others.map(({ mark, colour }) => ({
      id: mark.id,
      tool: mark.tool,
      seriesUid: mark.seriesInstanceUid,
      index: mark.imageIndex,
      data: { ...(marks?.measured(mark.id) ?? {}), text: mark.text },
      author: names.get(mark.peerId) ?? '',
      colour,
    }));
  }, [others, marks, measuredAt, state.peers]);

  return <ViewerPage link={{ ...link, drawing: true, attach, othersMarks }} />;
}
