import { Type, type Static } from '@sinclair/typebox';
import { Instant, Uuid } from './common.js';
import { Case } from './cases.js';
import { CaseState, Urgency } from './case-states.js';
import { Modality } from './people.js';

/** The same patient's other cases the reader may see: how many, and when the latest was opened. */
export const PriorSummary = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  latestAt: Type.Union([Instant, Type.Null()], { description: 'when the newest of them was opened' }),
});
export type PriorSummary = Static<typeof PriorSummary>;

/** A study of one of the patient's earlier cases, as the viewer lists it to open beside the current one. */
export const PriorStudy = Type.Object({
  caseId: Uuid,
  caseState: CaseState,
  studyInstanceUid: Type.String(),
  studyDate: Type.String({
    description: 'DICOM DA (YYYYMMDD) as the study carries it; empty when it has none',
  }),
  studyDescription: Type.String(),
  modalities: Type.Array(Type.String()),
  bodyPart: Type.Union([Type.String(), Type.Null()]),
  seriesCount: Type.Integer({ minimum: 0 }),
  instanceCount: Type.Integer({ minimum: 0 }),
});
export type PriorStudy = Static<typeof PriorStudy>;

/** A case on the specialist's worklist, with the patient's priors beside it. */
export const WorklistItem = Type.Composite([Case, Type.Object({ priors: PriorSummary })]);
export type WorklistItem = Static<typeof WorklistItem>;

/** The states a worklist shows: the pool's, and those of the reader's own open cases. */
export const WORKLIST_STATES = ['submitted', 'assigned', 'in_review', 'preliminary'] as const;

export const WorklistQuery = Type.Object(
  {
    modality: Type.Optional(Type.Array(Modality, { maxItems: 20 })),
    urgency: Type.Optional(Type.Array(Urgency, { maxItems: 3 })),
    hospitalId: Type.Optional(Uuid),
    state: Type.Optional(
      Type.Array(CaseState, {
        maxItems: 7,
        description: 'submitted narrows to the pool; assigned, in_review, preliminary to my cases',
      }),
    ),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: "part of the patient's name or MRN (case and width insensitive)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type WorklistQuery = Static<typeof WorklistQuery>;

/**
 * A specialist's worklist: the open cases they hold, the submitted cases waiting in their department's pool, and the
 * cases a colleague asks their second opinion on, each most urgent first (STAT, then the SLA closest to running out,
 * then the longest waiting); up to 200 of each.
 */
export const Worklist = Type.Object({
  mine: Type.Array(WorklistItem),
  pool: Type.Array(WorklistItem),
  secondOpinions: Type.Array(WorklistItem, {
    description: 'cases with an open second-opinion request to you, whatever their state',
  }),
});
export type Worklist = Static<typeof Worklist>;
