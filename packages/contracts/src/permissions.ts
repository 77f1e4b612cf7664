import { CASE_ACTIONS, nextState, type CaseAction, type CaseState } from './case-states.js';
import type { Role } from './people.js';

/**
 * Who a user is to one case. A user may be several at once (an administrator is only ever `admin`).
 *
 * - `admin`: a platform administrator, or the platform itself (the router);
 * - `requester`: a technician of the hospital that asked;
 * - `requesting_department`: staff of the department that asked (the county team in a consult);
 * - `assignee`: the specialist the case is assigned to;
 * - `department_specialist`: a specialist of the city department the case was sent to;
 * - `second_reader`: the specialist asked for a second opinion, while the request is open.
 */
export const CASE_RELATIONS = [
  'admin',
  'requester',
  'requesting_department',
  'assignee',
  'department_specialist',
  'second_reader',
] as const;
export type CaseRelation = (typeof CASE_RELATIONS)[number];

/** What can be done to a case: the state machine's actions, and what changes no state. */
export const CASE_OPERATIONS = [
  ...CASE_ACTIONS,
  'comment',
  'link_study',
  'join_consult',
  'request_second_opinion',
  'give_second_opinion',
  'rate_image_quality',
  'acknowledge_critical',
  'annotate',
] as const;
export type CaseOperation =
  | CaseAction
  | 'comment'
  | 'link_study'
  | 'join_consult'
  | 'request_second_opinion'
  | 'give_second_opinion'
  | 'rate_image_quality'
  | 'acknowledge_critical'
  | 'annotate';

/**
 * The permission table: who may take each operation on a case they can see. Legality (the state machine) is checked
 * first; this decides among those who see the case. `who` is how an answer that refuses names them.
 */
export const CASE_PERMISSIONS = {
  submit: { allow: ['requester', 'admin'], who: 'the requesting hospital or an administrator' },
  cancel: { allow: ['requester', 'admin'], who: 'the requesting hospital or an administrator' },
  assign: { allow: ['admin'], who: 'an administrator' },
  claim: { allow: ['department_specialist'], who: "a specialist of the case's department" },
  start_review: { allow: ['assignee'], who: 'the assigned specialist' },
  preliminary: { allow: ['assignee'], who: 'the assigned specialist' },
  finalize: { allow: ['assignee'], who: 'the assigned specialist' },
  addendum: { allow: ['assignee'], who: 'the assigned specialist' },
  release: { allow: ['assignee'], who: 'the assigned specialist' },
  reassign: { allow: ['assignee', 'admin'], who: 'the assigned specialist or an administrator' },
  comment: {
    allow: ['requester', 'assignee', 'department_specialist', 'admin'],
    who: 'the requesting hospital, the city department or an administrator',
  },
  link_study: { allow: ['requester'], who: 'the requesting hospital' },
  join_consult: {
    allow: ['requesting_department', 'assignee', 'admin'],
    who: 'the assigned specialist, staff of the requesting department or an administrator',
  },
  /** ask for a second opinion, or withdraw the request */
  request_second_opinion: { allow: ['assignee'], who: 'the assigned specialist' },
  give_second_opinion: { allow: ['second_reader'], who: 'the specialist asked for a second opinion' },
  rate_image_quality: {
    allow: ['assignee', 'second_reader'],
    who: 'the specialist reading the case or giving a second opinion',
  },
  acknowledge_critical: {
    allow: ['requester', 'requesting_department'],
    who: 'the staff of the requesting hospital',
  },
  /** measure and mark the images; everyone who sees the case sees the marks */
  annotate: { allow: ['assignee'], who: 'the assigned specialist' },
} as const satisfies Record<CaseOperation, { allow: readonly CaseRelation[]; who: string }>;

/** The user as the permission table sees them. */
export interface CaseViewer {
  userId: string;
  role: Role;
  hospitalId: string | null;
  departmentId: string | null;
}

/** The facts about a case that decide who may act on it (every `Case` carries them). */
export interface CaseParties {
  state: CaseState;
  requestingHospitalId: string;
  requestingDepartmentId: string;
  targetDepartmentId: string | null;
  assignedSpecialistId: string | null;
  /** the specialist of the case's open second-opinion request, if any */
  secondOpinionSpecialistId?: string | null;
}

/** Who `viewer` is to the case. */
export function caseRelations(viewer: CaseViewer, c: CaseParties): CaseRelation[] {
  if (viewer.role === 'admin') return ['admin'];
  const relations: CaseRelation[] = [];
  if (viewer.role === 'technician' && viewer.hospitalId === c.requestingHospitalId)
    relations.push('requester');
  if (viewer.departmentId !== null && viewer.departmentId === c.requestingDepartmentId) {
    relations.push('requesting_department');
  }
  if (viewer.role === 'specialist') {
    if (viewer.userId === c.assignedSpecialistId) relations.push('assignee');
    if (viewer.departmentId !== null && viewer.departmentId === c.targetDepartmentId) {
      relations.push('department_specialist');
    }
    if (viewer.userId === c.secondOpinionSpecialistId) relations.push('second_reader');
  }
  return relations;
}

/** True when the permission table lets `viewer` take `operation` on the case (legality aside). */
export function permits(viewer: CaseViewer, operation: CaseOperation, c: CaseParties): boolean {
  const allowed: readonly CaseRelation[] = CASE_PERMISSIONS[operation].allow;
  return caseRelations(viewer, c).some((r) => allowed.includes(r));
}

/**
 * The state-machine actions `viewer` can take on the case now: legal from its state and permitted. What the web app
 * offers, and exactly what the api accepts (the api may still refuse for what it alone knows, such as a specialist
 * who is not active).
 */
export function availableCaseActions(viewer: CaseViewer, c: CaseParties): CaseAction[] {
  return CASE_ACTIONS.filter((a) => nextState(c.state, a) !== null && permits(viewer, a, c));
}

/** What only some roles may do outside a case: the platform's administration. */
export const PLATFORM_PERMISSIONS = {
  'cases.open': { allow: ['technician'], who: 'technicians of a county hospital' },
  'studies.send': { allow: ['technician'], who: 'the staff of a county hospital' },
  /** the worklist: my open cases and my department's pool */
  'worklist.read': { allow: ['specialist'], who: 'specialists of a city department' },
  /** hospitals, departments and 科室对科室 partnerships */
  'organisation.manage': { allow: ['admin'], who: 'administrators' },
  /** users, the duty roster, and the audit trail of what they did */
  'people.manage': { allow: ['admin'], who: 'administrators' },
  'routing.manage': { allow: ['admin'], who: 'administrators' },
  /** the queue figures, and the jobs themselves in Bull Board */
  'queues.manage': { allow: ['admin'], who: 'administrators' },
  /** the report templates every reader starts from */
  'report_templates.manage': { allow: ['admin'], who: 'administrators' },
  /** the image-quality summary per technician (带教 feedback) */
  'quality.read': {
    allow: ['technician', 'admin'],
    who: 'the staff of a county hospital and administrators',
  },
} as const satisfies Record<string, { allow: readonly Role[]; who: string }>;
export type PlatformPermission = keyof typeof PLATFORM_PERMISSIONS;

/** True when `role` holds the platform permission. */
export function rolePermits(role: Role, permission: PlatformPermission): boolean {
  const allowed: readonly Role[] = PLATFORM_PERMISSIONS[permission].allow;
  return allowed.includes(role);
}

/** The report kinds and the case action writing each performs. */
export const REPORT_ACTION = {
  preliminary: 'preliminary',
  final: 'finalize',
  addendum: 'addendum',
} as const satisfies Record<string, CaseAction>;
