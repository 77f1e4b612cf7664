import * as cornerstone from 'cornerstone-core';
import type { Image, Viewport } from 'cornerstone-core';
import { imageIdOf } from './cornerstone-setup';
import type { ViewerSeries } from './viewer-api';
import type { ViewerController, ViewerState } from './viewer-controller';

/** How many images are fetched at once in the background: enough to fill a county line, few enough to stay fair. */
const PREFETCH_CONCURRENCY = 6;

/** What the overlay and the page need after each draw. */
export interface Rendered {
  /** the series the image belongs to */
  seriesUid: string;
  image: Image;
  viewport: Viewport;
  index: number;
  total: number;
}

export interface StackViewEvents {
  rendered(view: Rendered): void;
  progress(loaded: number, total: number): void;
  failed(message: string): void;
}

const VIEWPORT_KEYS: readonly (keyof ViewerState)[] = [
  'windowCenter',
  'windowWidth',
  'scale',
  'panX',
  'panY',
  'rotation',
  'invert',
  'hflip',
  'vflip',
];

/**
 * One cornerstone viewport showing one series as a stack: the image the reader asked for first, then the rest of the
 * series fetched in the background nearest first into the image cache, so scrolling never waits on the network once
 * it is loaded. It follows a `ViewerController` and writes back what the mouse changed. Drawn on a 2D canvas.
 */
export class StackView {
  readonly #element: HTMLElement;
  readonly #controller: ViewerController;
  readonly #events: StackViewEvents;
  readonly #studyUid: string;
  #series: ViewerSeries | null = null;
  #imageIds: string[] = [];
  #generation = 0;
  #shownIndex = -1;
  #fresh = true;
  #closed = false;
  readonly #unsubscribe: () => void;
  readonly #onRendered = (): void => {
    this.#afterRender();
  };
  readonly #resize = new ResizeObserver(() => {
    if (this.#shownIndex >= 0) cornerstone.resize(this.#element, false);
  });

  constructor(element: HTMLElement, studyUid: string, controller: ViewerController, events: StackViewEvents) {
    this.#element = element;
    this.#studyUid = studyUid;
    this.#controller = controller;
    this.#events = events;
    // the default renderer draws on a 2D canvas: a county PC's graphics may have no WebGL
    cornerstone.enable(element);
    element.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED, this.#onRendered);
    this.#resize.observe(element);
    this.#unsubscribe = controller.onChange((state, changed) => {
      this.#follow(state, changed);
    });
  }

  /** The image ids of the series shown, in order. */
  get imageIds(): readonly string[] {
    return this.#imageIds;
  }

  /**
   * Opens `series` at the controller's slice: that image first, then the rest in the background. `fresh`: with the
   * image's own window, fit and inversion; otherwise with the controller's (a follower opening what it was sent).
   */
  open(series: ViewerSeries, fresh = true): void {
    this.#generation++;
    this.#fresh = fresh;
    this.#series = series;
    this.#shownIndex = -1;
    this.#imageIds = series.images.map((i) =>
      imageIdOf(this.#studyUid, series.uid, i.sopInstanceUid, i.frame),
    );
    const index = Math.min(Math.max(0, this.#controller.getState().index), this.#imageIds.length - 1);
    const generation = this.#generation;
    void this.#show(index, true).then(() => {
      if (generation === this.#generation) void this.#prefetch(generation, index);
    });
  }

  /** Tears the viewport down; nothing more is fetched for it. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#generation++;
    this.#unsubscribe();
    this.#resize.disconnect();
    this.#element.removeEventListener(cornerstone.EVENTS.IMAGE_RENDERED, this.#onRendered);
    cornerstone.disable(this.#element);
  }

  /** Draws the image again (after its marks changed). */
  redraw(): void {
    if (this.#shownIndex >= 0) cornerstone.updateImage(this.#element);
  }

  /** Back to the image's own window and a fitted view. */
  reset(): void {
    if (this.#shownIndex < 0) return;
    cornerstone.reset(this.#element);
  }

  async #show(index: number, first: boolean): Promise<void> {
    const imageId = this.#imageIds[index];
    if (!imageId) return;
    const generation = this.#generation;
    let image: Image;
    try {
      image = await cornerstone.loadAndCacheImage(imageId);
    } catch (error) {
      if (generation === this.#generation) this.#events.failed(describe(error));
      return;
    }
    // a newer request (another slice, another series) won while this one was on the wire
    if (generation !== this.#generation || this.#closed) return;
    if (this.#controller.getState().index !== index && !first) return;
    const state = this.#controller.getState();
    if (first) {
      const fitted = cornerstone.getDefaultViewportForImage(this.#element, image);
      // a series opened afresh takes its image's own window, fit and inversion (MONOCHROME1 draws inverted); one
      // opened by a follower takes the state it was given
      cornerstone.displayImage(
        this.#element,
        image,
        this.#fresh ? fitted : { ...fitted, ...viewportOf(state, fitted) },
      );
    } else {
      cornerstone.displayImage(this.#element, image, cornerstone.getViewport(this.#element));
    }
    this.#shownIndex = index;
    this.#afterRender();
    // the slice asked for while the first image was on the wire (a linked viewport scrolled meanwhile)
    const wanted = Math.min(Math.max(0, this.#controller.getState().index), this.#imageIds.length - 1);
    if (first && wanted !== index) void this.#show(wanted, false);
  }

  async #prefetch(generation: number, from: number): Promise<void> {
    const total = this.#imageIds.length;
    // nearest the reader first, alternating down and up
    const order: number[] = [];
    for (let d = 1; order.length < total - 1; d++) {
      if (from + d < total) order.push(from + d);
      if (from - d >= 0) order.push(from - d);
    }
    let loaded = 1;
    this.#events.progress(loaded, total);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (generation === this.#generation && next < order.length) {
        const imageId = this.#imageIds[order[next++] ?? 0] ?? '';
        try {
          await cornerstone.loadAndCacheImage(imageId);
        } catch {
          // shown as a failure when the reader scrolls to it
        }
        if (generation !== this.#generation) return;
        loaded++;
        this.#events.progress(loaded, total);
      }
    };
    await Promise.all(Array.from({ length: PREFETCH_CONCURRENCY }, worker));
  }

  #follow(state: ViewerState, changed: (keyof ViewerState)[]): void {
    if (this.#shownIndex < 0 || !this.#series) return;
    if (changed.includes('index') && state.index !== this.#shownIndex) {
      const index = Math.min(Math.max(0, state.index), this.#imageIds.length - 1);
      void this.#show(index, false);
    }
    if (changed.some((k) => VIEWPORT_KEYS.includes(k))) {
      const current = cornerstone.getViewport(this.#element);
      if (!current) return;
      const wanted = viewportOf(state, current);
      if (!sameViewport(current, { ...current, ...wanted })) cornerstone.setViewport(this.#element, wanted);
    }
  }

  #afterRender(): void {
    const enabled = cornerstone.getEnabledElement(this.#element);
    const viewport = cornerstone.getViewport(this.#element);
    if (!enabled.image || !viewport) return;
    this.#controller.setState({
      windowCenter: viewport.voi.windowCenter,
      windowWidth: viewport.voi.windowWidth,
      scale: viewport.scale,
      panX: viewport.translation.x,
      panY: viewport.translation.y,
      rotation: viewport.rotation,
      invert: viewport.invert,
      hflip: viewport.hflip,
      vflip: viewport.vflip,
    });
    this.#events.rendered({
      seriesUid: this.#series?.uid ?? '',
      image: enabled.image,
      viewport,
      index: this.#shownIndex,
      total: this.#imageIds.length,
    });
  }
}

/** The viewport the state asks for; what the state leaves open keeps `base`. */
function viewportOf(state: ViewerState, base: Viewport): Partial<Viewport> {
  return {
    voi: {
      windowCenter: state.windowCenter ?? base.voi.windowCenter,
      windowWidth: state.windowWidth ?? base.voi.windowWidth,
    },
    scale: state.scale ?? base.scale,
    translation: { x: state.panX, y: state.panY },
    rotation: state.rotation,
    invert: state.invert,
    hflip: state.hflip,
    vflip: state.vflip,
  };
}

function sameViewport(a: Viewport, b: Viewport): boolean {
  return (
    a.voi.windowCenter === b.voi.windowCenter &&
    a.voi.windowWidth === b.voi.windowWidth &&
    a.scale === b.scale &&
    a.translation.x === b.translation.x &&
    a.translation.y === b.translation.y &&
    a.rotation === b.rotation &&
    a.invert === b.invert &&
    a.hflip === b.hflip &&
    a.vflip === b.vflip
  );
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'error' in error) {
    const inner = error.error;
    if (inner instanceof XMLHttpRequest) return `HTTP ${inner.status}`;
    if (inner instanceof Error) return inner.message;
  }
  return String(error);
}
