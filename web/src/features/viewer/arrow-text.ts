/**
 * The arrow tool's text, asked for in the viewer's own labelled field instead of the browser's prompt(): the tool
 * calls `askArrowText` when an arrow is drawn or its text double-clicked, and the viewer on screen answers.
 */

/** A pending question for an arrow's text: what it says now, and where the answer goes (null: cancelled). */
export interface ArrowTextRequest {
  initial: string;
  done: (text: string | null) => void;
}

let answerer: ((request: ArrowTextRequest) => void) | null = null;

/** Makes `listener` the one that answers the arrow tool; returns the release. */
export function answerArrowText(listener: (request: ArrowTextRequest) => void): () => void {
  answerer = listener;
  return () => {
    if (answerer === listener) answerer = null;
  };
}

/** Asks the viewer on screen for an arrow's text; with no viewer to answer, it is cancelled. */
export function askArrowText(initial: string, done: (text: string | null) => void): void {
  if (answerer) answerer({ initial, done });
  else done(null);
}
