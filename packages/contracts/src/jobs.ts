import { Type, type Static } from '@sinclair/typebox';
import { Uuid } from './common.js';

/** Queue names, shared by the api (producer) and the router (consumer). */
export const QUEUES = {
  /** a study received no new instance for STUDY_STABLE_SECONDS: route its case */
  studyStable: 'study-stable',
} as const;

/** A stable study; IDs only, never patient data. */
export const StudyStableJob = Type.Object({
  studyId: Uuid,
  studyInstanceUid: Type.String(),
  hospitalId: Uuid,
  caseId: Type.Union([Uuid, Type.Null()]),
  instanceCount: Type.Integer(),
  requestId: Type.String(),
});
export type StudyStableJob = Static<typeof StudyStableJob>;
