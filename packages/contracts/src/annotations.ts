import { Type, type Static } from '@sinclair/typebox';
import { Instant } from './common.js';
import { DicomUid } from './dicomweb.js';

/** The marks a reader can leave on an image. */
export const ANNOTATION_TOOLS = [
  'Length',
  'Angle',
  'EllipticalRoi',
  'RectangleRoi',
  'ArrowAnnotate',
] as const;
export type AnnotationTool = (typeof ANNOTATION_TOOLS)[number];

/** At most this many marks are kept with one case. */
export const MAX_ANNOTATIONS = 2000;

/** One mark on one image (a frame of a multi-frame instance), in the image's own pixel coordinates. */
export const Annotation = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    tool: Type.Union(
      ANNOTATION_TOOLS.map((t) => Type.Literal(t)),
      { description: 'the viewer tool that drew it' },
    ),
    seriesInstanceUid: DicomUid,
    sopInstanceUid: DicomUid,
    frame: Type.Optional(
      Type.Integer({ minimum: 0, description: 'the frame counted from 0, for multi-frame images' }),
    ),
    data: Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
      description:
        "the tool's own record: its handles in image pixels, an arrow's text, the values it measured",
    }),
  },
  { additionalProperties: false },
);
export type Annotation = Static<typeof Annotation>;

/** The measurements and marks saved with a case, as one document with a version for optimistic concurrency. */
export const CaseAnnotations = Type.Object({
  caseId: Type.String(),
  version: Type.Integer({ minimum: 0, description: '0 while nothing was saved; each save adds one' }),
  annotations: Type.Array(Annotation),
  updatedAt: Type.Union([Instant, Type.Null()]),
  updatedByName: Type.Union([Type.String(), Type.Null()]),
});
export type CaseAnnotations = Static<typeof CaseAnnotations>;

/** `PUT /api/cases/{id}/annotations`: the whole document, and the version it was made from. */
export const CaseAnnotationsPut = Type.Object(
  {
    version: Type.Integer({
      minimum: 0,
      description: 'the version this document was edited from; a save over a newer one answers 409',
    }),
    annotations: Type.Array(Annotation, { maxItems: MAX_ANNOTATIONS }),
  },
  { additionalProperties: false },
);
export type CaseAnnotationsPut = Static<typeof CaseAnnotationsPut>;
