import { Type, type Static } from '@sinclair/typebox';
import { Instant, Page, PageQuery, Text, Uuid } from './common.js';
import { CaseAction, CaseState, Urgency } from './case-states.js';
import { Modality } from './people.js';
import { RoutingDecision } from './routing.js';

export const Sex = Type.Union([Type.Literal('M'), Type.Literal('F'), Type.Literal('O')], {
  description: 'as DICOM PatientSex: M, F or O',
});

const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Uid = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[0-9]+(\\.[0-9]+)*$',
  description: 'DICOM UID',
});

export const Patient = Type.Object({
  id: Uuid,
  hospitalId: Uuid,
  mrn: Type.String({ description: "the county hospital's own patient id" }),
  name: Type.String(),
  sex: Sex,
  birthDate: Type.Union([DateOnly, Type.Null()]),
});
export type Patient = Static<typeof Patient>;

export const PatientInput = Type.Object(
  {
    mrn: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '\\S',
      description: "the hospital's patient id",
    }),
    name: Text(200),
    sex: Sex,
    birthDate: Type.Optional(DateOnly),
  },
  { additionalProperties: false },
);
export type PatientInput = Static<typeof PatientInput>;

const Demographics = Type.Object({
  name: Type.Optional(Type.String()),
  sex: Type.Optional(Sex),
  birthDate: Type.Optional(Type.Union([DateOnly, Type.Null()])),
});

/** One correction of a patient's demographics by the county side: what it was, what it became, who and when. */
export const PatientChange = Type.Object({
  id: Type.String(),
  patientId: Uuid,
  caseId: Type.Union([Uuid, Type.Null()], { description: 'the case whose opening carried the correction' }),
  changedBy: Type.Union([Uuid, Type.Null()]),
  changedByName: Type.Union([Type.String(), Type.Null()]),
  changedAt: Instant,
  before: Demographics,
  after: Demographics,
});
export type PatientChange = Static<typeof PatientChange>;

export const Case = Type.Object({
  id: Uuid,
  state: CaseState,
  urgency: Urgency,
  patient: Patient,
  clinicalQuestion: Type.String(),
  clinicalHistory: Type.String(),
  modality: Type.Union([Type.String(), Type.Null()]),
  bodyPart: Type.Union([Type.String(), Type.Null()]),
  studyInstanceUid: Type.Union([Type.String(), Type.Null()]),
  accessionNumber: Type.Union([Type.String(), Type.Null()]),
  requestingHospitalId: Uuid,
  requestingHospitalName: Type.String(),
  requestingDepartmentId: Uuid,
  requestingDepartmentName: Type.String(),
  targetDepartmentId: Type.Union([Uuid, Type.Null()]),
  assignedSpecialistId: Type.Union([Uuid, Type.Null()]),
  assignedSpecialistName: Type.Union([Type.String(), Type.Null()]),
  createdBy: Uuid,
  createdAt: Instant,
  updatedAt: Instant,
  submittedAt: Type.Union([Instant, Type.Null()]),
  assignedAt: Type.Union([Instant, Type.Null()]),
  reviewStartedAt: Type.Union([Instant, Type.Null()]),
  preliminaryAt: Type.Union([Instant, Type.Null()]),
  finalizedAt: Type.Union([Instant, Type.Null()]),
  cancelledAt: Type.Union([Instant, Type.Null()]),
  routingDueAt: Type.Union([Instant, Type.Null()], {
    description: 'while the case waits in the pool: when the router (next) tries to assign it',
  }),
  slaDueAt: Type.Union([Instant, Type.Null()], {
    description: 'when the current assignment must have a first report',
  }),
  routingDecision: Type.Union([RoutingDecision, Type.Null()], {
    description: "the router's latest decision: which rule matched and why this specialist",
  }),
  secondOpinionSpecialistId: Type.Union([Uuid, Type.Null()], {
    description: 'the specialist asked for a second opinion, while the request is open',
  }),
  criticalOpen: Type.Boolean({
    description: 'a critical finding is waiting for the requesting department to acknowledge it',
  }),
});
export type Case = Static<typeof Case>;

export const CaseCreate = Type.Object(
  {
    patient: PatientInput,
    urgency: Urgency,
    clinicalQuestion: Text(2000, 'what the county side asks the specialist'),
    clinicalHistory: Type.Optional(Type.String({ maxLength: 8000 })),
    modality: Type.Optional(Modality),
    bodyPart: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    studyInstanceUid: Type.Optional(Uid),
    accessionNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 16, description: 'DICOM SH' })),
    requestingDepartmentId: Type.Optional(
      Type.String({ format: 'uuid', description: "defaults to the technician's own department" }),
    ),
  },
  { additionalProperties: false },
);
export type CaseCreate = Static<typeof CaseCreate>;

export const CaseListQuery = Type.Object(
  {
    state: Type.Optional(Type.Array(CaseState, { maxItems: 7 })),
    urgency: Type.Optional(Type.Array(Urgency, { maxItems: 3 })),
    hospitalId: Type.Optional(Uuid),
    assigneeId: Type.Optional(Uuid),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    sort: Type.Optional(
      Type.Union([Type.Literal('newest'), Type.Literal('worklist')], {
        default: 'newest',
        description:
          'newest: newest first, paged by cursor; worklist: STAT first, then by SLA due time, then oldest first, ' +
          'in one page of up to `limit` cases',
      }),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type CaseListQuery = Static<typeof CaseListQuery>;

export const CasePage = Page(Case);
export type CasePage = Static<typeof CasePage>;

export const CaseHistoryEntry = Type.Object({
  id: Type.Integer(),
  action: Type.String(),
  fromState: Type.Union([CaseState, Type.Null()]),
  toState: CaseState,
  actorId: Type.Union([Uuid, Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
  at: Instant,
});
export type CaseHistoryEntry = Static<typeof CaseHistoryEntry>;

export const CaseComment = Type.Object({
  id: Uuid,
  caseId: Uuid,
  authorId: Uuid,
  authorName: Type.String(),
  authorRole: Type.String(),
  body: Type.String(),
  createdAt: Instant,
});
export type CaseComment = Static<typeof CaseComment>;

export const CommentCreate = Type.Object({ body: Text(4000) }, { additionalProperties: false });
export type CommentCreate = Static<typeof CommentCreate>;

export const AssignBody = Type.Object({ specialistId: Uuid }, { additionalProperties: false });
export type AssignBody = Static<typeof AssignBody>;

export const ReasonBody = Type.Object({ reason: Text(1000) }, { additionalProperties: false });
export type ReasonBody = Static<typeof ReasonBody>;

export const ReleaseBody = Type.Object(
  { reason: Type.Optional(Text(1000, 'why the case goes back to the pool, if you wish to say')) },
  { additionalProperties: false },
);
export type ReleaseBody = Static<typeof ReleaseBody>;

export const ReassignBody = Type.Object(
  {
    reason: Text(1000),
    specialistId: Type.Optional(
      Type.String({ format: 'uuid', description: 'omit to return the case to the pool' }),
    ),
  },
  { additionalProperties: false },
);
export type ReassignBody = Static<typeof ReassignBody>;

export const ReportKind = Type.Union([
  Type.Literal('preliminary'),
  Type.Literal('final'),
  Type.Literal('addendum'),
]);
export type ReportKind = Static<typeof ReportKind>;

export const ReportCreate = Type.Object(
  {
    kind: ReportKind,
    findings: Text(20000),
    impression: Text(4000),
    critical: Type.Optional(
      Type.Boolean({ description: 'a critical finding the county side must acknowledge' }),
    ),
    reason: Type.Optional(
      Text(1000, 'why the final report is amended: required for an addendum, refused otherwise'),
    ),
  },
  { additionalProperties: false },
);
export type ReportCreate = Static<typeof ReportCreate>;

export const Report = Type.Object({
  id: Uuid,
  caseId: Uuid,
  version: Type.Integer(),
  kind: ReportKind,
  findings: Type.String(),
  impression: Type.String(),
  critical: Type.Boolean(),
  reason: Type.String({ description: 'an addendum: why it was added; otherwise empty' }),
  authorId: Uuid,
  authorName: Type.String(),
  createdAt: Instant,
});
export type Report = Static<typeof Report>;

export const CaseTransitionResult = Type.Object({ case: Case, action: CaseAction });
export type CaseTransitionResult = Static<typeof CaseTransitionResult>;
