import { Type, type Static } from '@sinclair/typebox';

/** A DICOM UID (PS3.5 9.1): digits and dots, at most 64 characters. */
export const DicomUid = Type.String({
  pattern: '^[0-9]+(\\.[0-9]+)*$',
  maxLength: 64,
  description: 'a DICOM UID: digits and dots, at most 64 characters',
});

/** `/studies/{study}` */
export const StudyParams = Type.Object({ study: DicomUid }, { additionalProperties: false });
export type StudyParams = Static<typeof StudyParams>;

/** `/studies/{study}/series/{series}` */
export const SeriesParams = Type.Object(
  { study: DicomUid, series: DicomUid },
  { additionalProperties: false },
);
export type SeriesParams = Static<typeof SeriesParams>;

/** `/studies/{study}/series/{series}/instances/{instance}` */
export const InstanceParams = Type.Object(
  { study: DicomUid, series: DicomUid, instance: DicomUid },
  { additionalProperties: false },
);
export type InstanceParams = Static<typeof InstanceParams>;

/** `/studies/{study}/series/{series}/instances/{instance}/frames/{frames}` */
export const FramesParams = Type.Object(
  {
    study: DicomUid,
    series: DicomUid,
    instance: DicomUid,
    frames: Type.String({
      pattern: '^[1-9][0-9]{0,5}(,[1-9][0-9]{0,5})*$',
      maxLength: 1024,
      description: 'frame numbers from 1, separated by commas: 1 or 1,3,5',
    }),
  },
  { additionalProperties: false },
);
export type FramesParams = Static<typeof FramesParams>;

/** `/studies/{study}/series/{series}/instances/{instance}/bulkdata/{tag}` */
export const BulkdataParams = Type.Object(
  {
    study: DicomUid,
    series: DicomUid,
    instance: DicomUid,
    tag: Type.String({
      pattern: '^[0-9A-Fa-f]{8}$',
      description: 'the attribute tag, 8 hex digits; pixel data is 7FE00010',
    }),
  },
  { additionalProperties: false },
);
export type BulkdataParams = Static<typeof BulkdataParams>;

/** STOW-RS query: the case the stored study belongs to. */
export const StowQuery = Type.Object(
  {
    caseId: Type.Optional(
      Type.String({ format: 'uuid', description: 'link the study to this case of your hospital' }),
    ),
  },
  { additionalProperties: false },
);
export type StowQuery = Static<typeof StowQuery>;

/** A QIDO-RS matching value: the last one counts when a key is repeated. */
const MatchValue = Type.Union([
  Type.String({ maxLength: 1024 }),
  Type.Array(Type.String({ maxLength: 1024 })),
]);

/**
 * QIDO-RS query (PS3.18 8.3.4): paging, includefield and fuzzymatching, and any number of matching keys named by
 * DICOM keyword (`PatientName`) or tag (`00100010`), whose values are DICOM matching values (`张*`,
 * `20260101-20261231`, `1.2.3,1.2.4`). Which keys a level can match on is answered by the search itself.
 */
export const QidoQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'at most this many matches; 100 if not given' }),
    ),
    offset: Type.Optional(Type.Integer({ minimum: 0, description: 'skip this many matches' })),
    fuzzymatching: Type.Optional(
      Type.Boolean({
        description: 'asked for fuzzy matching of person names; not offered, matching stays exact',
      }),
    ),
    includefield: Type.Optional(
      Type.Array(Type.String({ maxLength: 1024 }), {
        description:
          'attributes to add to each match, by keyword or tag, comma separated or repeated; or all',
      }),
    ),
  },
  {
    additionalProperties: MatchValue,
    description: 'other keys: DICOM attribute keywords or tags to match on',
  },
);
/** The query as validated: the known keys typed, every other key an attribute to match on. */
export type QidoQuery = Static<typeof QidoQuery> & { [attribute: string]: unknown };

/** WADO-URI query (PS3.18 9), as cornerstone's image loader asks for one instance's Part 10 file. */
export const WadoUriQuery = Type.Object(
  {
    requestType: Type.Literal('WADO'),
    studyUID: DicomUid,
    seriesUID: DicomUid,
    objectUID: DicomUid,
    contentType: Type.Optional(
      Type.Literal('application/dicom', {
        description: 'only the Part 10 file is served; images are rendered in the viewer',
      }),
    ),
  },
  { additionalProperties: false },
);
export type WadoUriQuery = Static<typeof WadoUriQuery>;

/** `/dicomweb/uploads/{id}`: a resumable upload, as the server named it on creation. */
export const UploadParams = Type.Object(
  {
    id: Type.String({
      pattern: '^[A-Za-z0-9_-]{1,128}$',
      description: 'the upload id from the Location of the creating POST',
    }),
  },
  { additionalProperties: false },
);
export type UploadParams = Static<typeof UploadParams>;

/** Resumable uploads take no query. */
export const UploadQuery = Type.Object({}, { additionalProperties: false });
