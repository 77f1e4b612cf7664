// The parts of cornerstone-core 2, cornerstone-tools 6, cornerstone-wado-image-loader 4 and dicom-parser the viewer
// uses: the packages ship no type declarations.

declare module 'cornerstone-core' {
  export interface Voi {
    windowWidth: number;
    windowCenter: number;
  }
  export interface Viewport {
    scale: number;
    translation: { x: number; y: number };
    voi: Voi;
    invert: boolean;
    rotation: number;
    hflip: boolean;
    vflip: boolean;
    pixelReplication: boolean;
  }
  /** A dataset as dicom-parser parsed it, kept on images the WADO-URI loader made. */
  export interface DataSet {
    byteArray: Uint8Array;
    elements: Record<string, { dataOffset: number; length: number } | undefined>;
    string(tag: string, index?: number): string | undefined;
    floatString(tag: string, index?: number): number | undefined;
    uint16(tag: string, index?: number): number | undefined;
    intString(tag: string): number | undefined;
  }
  export interface Image {
    imageId: string;
    rows: number;
    columns: number;
    width: number;
    height: number;
    color: boolean;
    rowPixelSpacing?: number;
    columnPixelSpacing?: number;
    windowCenter: number | number[];
    windowWidth: number | number[];
    slope: number;
    intercept: number;
    minPixelValue: number;
    maxPixelValue: number;
    sizeInBytes: number;
    data?: DataSet;
    getPixelData(): ArrayLike<number>;
  }
  export interface EnabledElement {
    element: HTMLElement;
    image?: Image;
    canvas: HTMLCanvasElement;
    viewport?: Viewport;
  }
  export const EVENTS: { IMAGE_RENDERED: string; NEW_IMAGE: string };
  export function enable(element: HTMLElement, options?: { renderer?: string }): void;
  export function disable(element: HTMLElement): void;
  export function loadImage(imageId: string): { promise: Promise<Image> } & Promise<Image>;
  export function loadAndCacheImage(imageId: string): Promise<Image>;
  export function displayImage(element: HTMLElement, image: Image, viewport?: Partial<Viewport>): void;
  export function getViewport(element: HTMLElement): Viewport | undefined;
  export function setViewport(element: HTMLElement, viewport: Partial<Viewport>): void;
  export function getDefaultViewportForImage(element: HTMLElement, image: Image): Viewport;
  export function getEnabledElement(element: HTMLElement): EnabledElement;
  export function reset(element: HTMLElement): void;
  export function resize(element: HTMLElement, fitToWindow?: boolean): void;
  export function fitToWindow(element: HTMLElement): void;
  export function updateImage(element: HTMLElement): void;
  export function renderToCanvas(canvas: HTMLCanvasElement, image: Image): void;
  export function pageToPixel(element: HTMLElement, pageX: number, pageY: number): { x: number; y: number };
  export function pixelToCanvas(element: HTMLElement, pt: { x: number; y: number }): { x: number; y: number };
  export const imageCache: {
    setMaximumSizeBytes(bytes: number): void;
    getCacheInfo(): { maximumSizeInBytes: number; cacheSizeInBytes: number; numberOfImagesCached: number };
    purgeCache(): void;
  };
  export const events: EventTarget;
}

declare module 'cornerstone-tools' {
  export type ToolClass = abstract new (...args: never[]) => unknown;
  export const external: { cornerstone: unknown; cornerstoneMath: unknown; Hammer: unknown };
  export function init(config?: { showSVGCursors?: boolean; globalToolSyncEnabled?: boolean }): void;
  export function addTool(tool: ToolClass, props?: Record<string, unknown>): void;
  export function setToolActive(name: string, options: { mouseButtonMask: number }): void;
  export function setToolPassive(name: string): void;
  export function setToolEnabled(name: string): void;
  export function clearToolState(element: HTMLElement, toolName: string): void;
  export const EVENTS: {
    MEASUREMENT_ADDED: string;
    MEASUREMENT_COMPLETED: string;
    MEASUREMENT_MODIFIED: string;
    MEASUREMENT_REMOVED: string;
  };
  /** What a MEASUREMENT_* event carries: the tool and its mark (the very object kept in the tool state). */
  export interface MeasurementEventDetail {
    toolName: string;
    element: HTMLElement;
    measurementData: Record<string, unknown>;
  }
  export const globalImageIdSpecificToolStateManager: {
    saveToolState(): Record<string, Record<string, { data: Record<string, unknown>[] } | undefined>>;
    addImageIdToolState(imageId: string, toolName: string, data: Record<string, unknown>): void;
    getImageIdToolState(imageId: string, toolName: string): { data: Record<string, unknown>[] } | undefined;
    restoreToolState(state: Record<string, Record<string, { data: Record<string, unknown>[] }>>): void;
  };
  export const WwwcTool: ToolClass;
  export const PanTool: ToolClass;
  export const ZoomTool: ToolClass;
  export const RotateTool: ToolClass;
  export const LengthTool: ToolClass;
  export const AngleTool: ToolClass;
  export const EllipticalRoiTool: ToolClass;
  export const RectangleRoiTool: ToolClass;
  export const ArrowAnnotateTool: ToolClass;
}

declare module 'cornerstone-math' {
  const math: unknown;
  export default math;
}

declare module 'hammerjs' {
  const Hammer: unknown;
  export default Hammer;
}

declare module 'dicom-parser' {
  const dicomParser: unknown;
  export default dicomParser;
}

declare module 'cornerstone-wado-image-loader' {
  const loader: {
    external: { cornerstone: unknown; dicomParser: unknown };
    configure(options: { beforeSend?: (xhr: XMLHttpRequest) => void }): void;
    webWorkerManager: {
      initialize(config: {
        maxWebWorkers: number;
        startWebWorkersOnDemand: boolean;
        taskConfiguration: { decodeTask: { initializeCodecsOnStartup: boolean; strict?: boolean } };
      }): void;
    };
  };
  export default loader;
}
