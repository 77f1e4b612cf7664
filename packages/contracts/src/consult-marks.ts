import { Type, type Static } from '@sinclair/typebox';
import { ANNOTATION_TOOLS, type AnnotationTool } from './annotations.js';
import { DicomUid } from './dicomweb.js';

// the consult's live marks in a module of their own: the app's shell links to consults (consult.ts) and so loads that
// module at once, while these schemas are needed only by the service and by the viewer of a consult

/** Image coordinates and counts beyond this are not an image's (the largest DICOM image is 65535 pixels a side). */
const IMAGE_EXTENT = 65_536;
/** An arrow's words: a phrase, not a report. */
const LIVE_TEXT_MAX = 200;

/** A point in an image's own pixels (columns right, rows down from its top left corner). */
export const ImagePoint = Type.Object(
  {
    x: Type.Number({ minimum: -IMAGE_EXTENT, maximum: IMAGE_EXTENT }),
    y: Type.Number({ minimum: -IMAGE_EXTENT, maximum: IMAGE_EXTENT }),
  },
  { additionalProperties: false },
);

/**
 * A mark drawn live in a consult, as its author's browser sends it: one of the viewer's measurements (length, angle,
 * elliptical or rectangle ROI, arrow) on one image, by its handles in that image's pixels. Each side measures it
 * again from its own copy of the image, so millimetres and ROI statistics come from the same pixels.
 */
export const LiveAnnotationDraft = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    tool: Type.Union(
      ANNOTATION_TOOLS.map((t) => Type.Literal(t)),
      { description: 'the viewer tool that drew it' },
    ),
    /** the image it is on: the case's study, one instance (and frame of a multi-frame one) */
    studyInstanceUid: DicomUid,
    seriesInstanceUid: DicomUid,
    sopInstanceUid: DicomUid,
    frame: Type.Optional(Type.Integer({ minimum: 0, maximum: IMAGE_EXTENT })),
    /** where that image is in its series, counted from 0 (for the measurements list) */
    imageIndex: Type.Integer({ minimum: 0, maximum: IMAGE_EXTENT }),
    /** the handles in order: start and end, or for an angle start, vertex and end */
    points: Type.Array(ImagePoint, { minItems: 2, maxItems: 3 }),
    /** an arrow's words */
    text: Type.Optional(Type.String({ maxLength: LIVE_TEXT_MAX })),
  },
  { additionalProperties: false },
);
export type LiveAnnotationDraft = Static<typeof LiveAnnotationDraft>;

/** A live mark as the others receive it: with the peer who drew it, set by the service. */
export type LiveAnnotation = LiveAnnotationDraft & { peerId: string };

/** How many handles each tool's mark has. */
export const LIVE_ANNOTATION_POINTS: Record<AnnotationTool, number> = {
  Length: 2,
  Angle: 3,
  EllipticalRoi: 2,
  RectangleRoi: 2,
  ArrowAnnotate: 2,
};

/** At most this many live marks of one person are kept in a consult; more are refused until some are cleared. */
export const LIVE_ANNOTATIONS_PER_PEER = 200;
