import { describe, expect, it } from 'vitest';
import { CASE_ACTIONS, CASE_STATES, nextState, type CaseAction, type CaseState } from './case-states.js';

// Every (state, action) pair, written out: the state the action leads to, or '—' where it is illegal. A change to
// the state machine must change this table by hand.
const EXPECTED: Record<CaseState, Record<CaseAction, CaseState | '—'>> = {
  draft: {
    submit: 'submitted',
    assign: '—',
    claim: '—',
    start_review: '—',
    preliminary: '—',
    finalize: '—',
    addendum: '—',
    release: '—',
    reassign: '—',
    cancel: 'cancelled',
  },
  submitted: {
    submit: '—',
    assign: 'assigned',
    claim: 'assigned',
    start_review: '—',
    preliminary: '—',
    finalize: '—',
    addendum: '—',
    release: '—',
    reassign: '—',
    cancel: 'cancelled',
  },
  assigned: {
    submit: '—',
    assign: '—',
    claim: '—',
    start_review: 'in_review',
    preliminary: '—',
    finalize: '—',
    addendum: '—',
    release: 'submitted',
    reassign: 'submitted',
    cancel: 'cancelled',
  },
  in_review: {
    submit: '—',
    assign: '—',
    claim: '—',
    start_review: '—',
    preliminary: 'preliminary',
    finalize: 'final',
    addendum: '—',
    release: 'submitted',
    reassign: 'submitted',
    cancel: 'cancelled',
  },
  preliminary: {
    submit: '—',
    assign: '—',
    claim: '—',
    start_review: '—',
    preliminary: '—',
    finalize: 'final',
    addendum: '—',
    release: '—',
    reassign: 'submitted',
    cancel: '—',
  },
  final: {
    submit: '—',
    assign: '—',
    claim: '—',
    start_review: '—',
    preliminary: '—',
    finalize: '—',
    addendum: 'final',
    release: '—',
    reassign: '—',
    cancel: '—',
  },
  cancelled: {
    submit: '—',
    assign: '—',
    claim: '—',
    start_review: '—',
    preliminary: '—',
    finalize: '—',
    addendum: '—',
    release: '—',
    reassign: '—',
    cancel: '—',
  },
};

describe('the case state machine', () => {
  it('knows exactly the states and actions of the table', () => {
    expect([...CASE_STATES].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect([...CASE_ACTIONS].sort()).toEqual(Object.keys(EXPECTED.draft).sort());
  });

  for (const state of CASE_STATES) {
    for (const action of CASE_ACTIONS) {
      const expected = EXPECTED[state][action];
      it(`${action} from ${state}: ${expected === '—' ? 'illegal' : expected}`, () => {
        expect(nextState(state, action) ?? '—').toBe(expected);
      });
    }
  }
});
