/** What bench:consult's frame watcher (in-browser/frame-watch.ts) has seen, in ms since the page's navigation. */
export interface Frames {
  firstOwnFrameMs: number | null;
  firstRemoteFrameMs: number | null;
}
