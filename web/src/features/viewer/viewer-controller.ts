/**
 * What a reader is looking at, in one small object: the series, the slice, window/level and the view's geometry.
 * The viewport follows it and writes back what the mouse changed, so a consult's follow mode can drive another
 * reader's viewer with `setState` and listen with `onChange`.
 */
export interface ViewerState {
  seriesUid: string | null;
  /** the slice shown, counted from 0 */
  index: number;
  windowCenter: number | null;
  windowWidth: number | null;
  scale: number | null;
  panX: number;
  panY: number;
  rotation: number;
  invert: boolean;
  hflip: boolean;
  vflip: boolean;
}

export type ViewerListener = (state: ViewerState, changed: (keyof ViewerState)[]) => void;

/** A series opened afresh: its first slice with the image's own window and a fitted view. */
export const INITIAL_VIEW: ViewerState = {
  seriesUid: null,
  index: 0,
  windowCenter: null,
  windowWidth: null,
  scale: null,
  panX: 0,
  panY: 0,
  rotation: 0,
  invert: false,
  hflip: false,
  vflip: false,
};

/** The viewer's state with a setter and a change event; values that do not change raise no event. */
export class ViewerController {
  #state: ViewerState = { ...INITIAL_VIEW };
  readonly #listeners = new Set<ViewerListener>();

  /** The state as it is now (a copy). */
  getState(): ViewerState {
    return { ...this.#state };
  }

  /** Changes some of the state and tells every listener which keys changed. */
  setState(partial: Partial<ViewerState>): void {
    const changed = (Object.keys(partial) as (keyof ViewerState)[]).filter(
      (key) => partial[key] !== undefined && partial[key] !== this.#state[key],
    );
    if (!changed.length) return;
    this.#state = { ...this.#state, ...partial };
    const state = this.getState();
    for (const listener of this.#listeners) listener(state, changed);
  }

  /** Calls `listener` after every change; returns the unsubscribe. */
  onChange(listener: ViewerListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}

/** A window/level preset: centre and width in the image's output units (HU for CT). */
export interface WindowPreset {
  id: string;
  center: number;
  width: number;
}

/** The CT presets a reader expects, as the common reading stations set them. */
export const CT_PRESETS: readonly WindowPreset[] = [
  { id: 'brain', center: 40, width: 80 },
  { id: 'subdural', center: 75, width: 215 },
  { id: 'lung', center: -600, width: 1500 },
  { id: 'mediastinum', center: 50, width: 350 },
  { id: 'abdomen', center: 60, width: 400 },
  { id: 'bone', center: 300, width: 1500 },
  { id: 'liver', center: 80, width: 150 },
];
