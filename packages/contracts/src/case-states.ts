import type { Static } from '@sinclair/typebox';
import { oneOf } from './common.js';

export const CASE_STATES = [
  'draft',
  'submitted',
  'assigned',
  'in_review',
  'preliminary',
  'final',
  'cancelled',
] as const;
export type CaseState = (typeof CASE_STATES)[number];
export const CaseState = oneOf(CASE_STATES);

export const URGENCIES = ['stat', 'urgent', 'routine'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const Urgency = oneOf(URGENCIES, {
  description: 'stat: minutes; urgent: hours; routine: within a day',
});

/** What can happen to a case, from which states, and where it leads. */
export const CASE_TRANSITIONS = {
  submit: { from: ['draft'], to: 'submitted' },
  assign: { from: ['submitted'], to: 'assigned' },
  claim: { from: ['submitted'], to: 'assigned' },
  start_review: { from: ['assigned'], to: 'in_review' },
  preliminary: { from: ['in_review'], to: 'preliminary' },
  finalize: { from: ['in_review', 'preliminary'], to: 'final' },
  addendum: { from: ['final'], to: 'final' },
  /** the assigned specialist hands the case back to the department's pool before writing any report */
  release: { from: ['assigned', 'in_review'], to: 'submitted' },
  reassign: { from: ['assigned', 'in_review', 'preliminary'], to: 'submitted' },
  cancel: { from: ['draft', 'submitted', 'assigned', 'in_review'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly CaseState[]; to: CaseState }>;

export type CaseAction = keyof typeof CASE_TRANSITIONS;
export const CASE_ACTIONS = Object.keys(CASE_TRANSITIONS) as CaseAction[];
export const CaseAction = oneOf(CASE_ACTIONS);
export type CaseActionSchema = Static<typeof CaseAction>;

/** The state `action` leads to from `state`, or null when the action is not allowed there. */
export function nextState(state: CaseState, action: CaseAction): CaseState | null {
  const t = CASE_TRANSITIONS[action];
  return (t.from as readonly CaseState[]).includes(state) ? t.to : null;
}
