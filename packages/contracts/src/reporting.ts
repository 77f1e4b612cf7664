import { Type, type Static } from '@sinclair/typebox';
import { Instant, Text, Uuid, oneOf } from './common.js';
import { Case } from './cases.js';
import { Modality } from './people.js';

const BodyPart = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_]+$',
  description: 'DICOM BodyPartExamined: HEAD, CHEST, ABDOMEN...',
});

/** Skeletons of findings and impression for one modality and body part, as the city hospitals write them. */
export const ReportTemplate = Type.Object({
  id: Uuid,
  modality: Type.String(),
  bodyPart: Type.String(),
  name: Type.String(),
  findings: Type.String(),
  impression: Type.String(),
  active: Type.Boolean(),
  updatedAt: Instant,
});
export type ReportTemplate = Static<typeof ReportTemplate>;

export const ReportTemplateQuery = Type.Object(
  {
    modality: Type.Optional(Modality),
    bodyPart: Type.Optional(BodyPart),
    includeInactive: Type.Optional(
      Type.Boolean({ description: 'administrators: list retired templates as well' }),
    ),
  },
  { additionalProperties: false },
);
export type ReportTemplateQuery = Static<typeof ReportTemplateQuery>;

export const ReportTemplateCreate = Type.Object(
  {
    modality: Modality,
    bodyPart: BodyPart,
    name: Text(100),
    findings: Text(20000),
    impression: Text(4000),
  },
  { additionalProperties: false },
);
export type ReportTemplateCreate = Static<typeof ReportTemplateCreate>;

export const ReportTemplateUpdate = Type.Object(
  {
    name: Type.Optional(Text(100)),
    findings: Type.Optional(Text(20000)),
    impression: Type.Optional(Text(4000)),
    active: Type.Optional(Type.Boolean({ description: 'false retires the template: no longer offered' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ReportTemplateUpdate = Static<typeof ReportTemplateUpdate>;

/** A second opinion the assigned specialist asked another specialist for, and the answer once given. */
export const SecondOpinion = Type.Object({
  id: Uuid,
  caseId: Uuid,
  requestedBy: Uuid,
  requestedByName: Type.String(),
  specialistId: Uuid,
  specialistName: Type.String(),
  question: Type.String(),
  opinion: Type.Union([Type.String(), Type.Null()]),
  requestedAt: Instant,
  answeredAt: Type.Union([Instant, Type.Null()]),
  withdrawnAt: Type.Union([Instant, Type.Null()]),
  state: Type.Union([Type.Literal('open'), Type.Literal('answered'), Type.Literal('withdrawn')]),
});
export type SecondOpinion = Static<typeof SecondOpinion>;

export const SecondOpinionRequest = Type.Object(
  {
    specialistId: Type.String({
      format: 'uuid',
      description: "an active specialist of the case's department or of a partnered city department",
    }),
    question: Text(2000, 'what the second reader is asked to look at'),
  },
  { additionalProperties: false },
);
export type SecondOpinionRequest = Static<typeof SecondOpinionRequest>;

export const SecondOpinionAnswer = Type.Object(
  { opinion: Text(8000, "the second reader's opinion") },
  { additionalProperties: false },
);
export type SecondOpinionAnswer = Static<typeof SecondOpinionAnswer>;

/** A specialist the assigned reader may ask for a second opinion on a case, and whether they are on duty now. */
export const SecondOpinionCandidate = Type.Object({
  userId: Uuid,
  displayName: Type.String(),
  hospitalName: Type.String(),
  departmentId: Uuid,
  departmentName: Type.String(),
  onDuty: Type.Boolean({ description: 'a shift of the duty roster covers this moment' }),
});
export type SecondOpinionCandidate = Static<typeof SecondOpinionCandidate>;

/** What can be wrong with the images a technician sent (带教 feedback). */
export const IMAGE_QUALITY_CATEGORIES = [
  'positioning',
  'exposure',
  'motion',
  'artefact',
  'protocol',
] as const;
export type ImageQualityCategory = (typeof IMAGE_QUALITY_CATEGORIES)[number];
export const ImageQualityCategory = oneOf(IMAGE_QUALITY_CATEGORIES, {
  description: 'positioning 体位, exposure 曝光/剂量, motion 运动, artefact 伪影, protocol 扫描方案',
});

/** A reader's rating of a case's images, back to the technician who sent them. */
export const ImageQualityRating = Type.Object({
  id: Uuid,
  caseId: Uuid,
  technicianId: Uuid,
  technicianName: Type.String(),
  ratedBy: Uuid,
  ratedByName: Type.String(),
  score: Type.Integer({ minimum: 1, maximum: 5, description: '5: textbook images; 1: not readable' }),
  categories: Type.Array(ImageQualityCategory, { description: 'what was wrong, if anything' }),
  comment: Type.String(),
  ratedAt: Instant,
});
export type ImageQualityRating = Static<typeof ImageQualityRating>;

export const ImageQualityInput = Type.Object(
  {
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    categories: Type.Optional(Type.Array(ImageQualityCategory, { maxItems: 5, uniqueItems: true })),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type ImageQualityInput = Static<typeof ImageQualityInput>;

/** One technician's image quality as the readers rated it. */
export const TechnicianQuality = Type.Object({
  technicianId: Uuid,
  technicianName: Type.String(),
  hospitalId: Uuid,
  hospitalName: Type.String(),
  ratings: Type.Integer(),
  averageScore: Type.Number(),
  byCategory: Type.Record(Type.String(), Type.Integer(), {
    description: 'how many ratings named each category',
  }),
  recent: Type.Array(
    Type.Object({
      caseId: Uuid,
      score: Type.Integer(),
      categories: Type.Array(ImageQualityCategory),
      comment: Type.String(),
      ratedByName: Type.String(),
      ratedAt: Instant,
    }),
    { description: 'the latest ratings, newest first' },
  ),
});
export type TechnicianQuality = Static<typeof TechnicianQuality>;

export const TechnicianQualityQuery = Type.Object(
  {
    hospitalId: Type.Optional(Type.String({ format: 'uuid', description: 'administrators: one hospital' })),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    recent: Type.Optional(Type.Integer({ minimum: 0, maximum: 50, default: 5 })),
  },
  { additionalProperties: false },
);
export type TechnicianQualityQuery = Static<typeof TechnicianQualityQuery>;

export const CRITICAL_ACK_METHODS = ['phone', 'in_app', 'in_person'] as const;
export type CriticalAckMethod = (typeof CRITICAL_ACK_METHODS)[number];
export const CriticalAckMethod = oneOf(CRITICAL_ACK_METHODS, {
  description: 'phone 电话, in_app 平台内, in_person 当面',
});

/** A critical finding of a report version and its acknowledgement by the requesting side. */
export const CriticalFinding = Type.Object({
  id: Uuid,
  caseId: Uuid,
  reportVersion: Type.Integer(),
  flaggedBy: Uuid,
  flaggedByName: Type.String(),
  flaggedAt: Instant,
  headDueAt: Instant,
  adminDueAt: Instant,
  headEscalatedAt: Type.Union([Instant, Type.Null()]),
  adminEscalatedAt: Type.Union([Instant, Type.Null()]),
  acknowledgedAt: Type.Union([Instant, Type.Null()]),
  acknowledgedBy: Type.Union([Uuid, Type.Null()]),
  acknowledgedByName: Type.Union([Type.String(), Type.Null()]),
  method: Type.Union([CriticalAckMethod, Type.Null()]),
  note: Type.String(),
});
export type CriticalFinding = Static<typeof CriticalFinding>;

export const CriticalAcknowledgement = Type.Object(
  {
    method: CriticalAckMethod,
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'who was told, what is being done' })),
  },
  { additionalProperties: false },
);
export type CriticalAcknowledgement = Static<typeof CriticalAcknowledgement>;

/** One case with what its reading produced: the image-quality ratings, the critical finding, the second opinions. */
export const CaseDetail = Type.Composite([
  Case,
  Type.Object({
    imageQuality: Type.Array(ImageQualityRating),
    criticalFinding: Type.Union([CriticalFinding, Type.Null()], {
      description: 'the latest critical finding, open or acknowledged',
    }),
    secondOpinions: Type.Array(SecondOpinion),
  }),
]);
export type CaseDetail = Static<typeof CaseDetail>;
