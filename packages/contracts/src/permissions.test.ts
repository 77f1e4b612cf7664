import { describe, expect, it } from 'vitest';
import { CASE_STATES } from './case-states.js';
import {
  CASE_OPERATIONS,
  CASE_PERMISSIONS,
  availableCaseActions,
  caseRelations,
  permits,
  type CaseParties,
  type CaseViewer,
} from './permissions.js';

// Who may take each operation, written out by hand.
const EXPECTED_ALLOW = {
  submit: ['admin', 'requester'],
  cancel: ['admin', 'requester'],
  assign: ['admin'],
  claim: ['department_specialist'],
  start_review: ['assignee'],
  preliminary: ['assignee'],
  finalize: ['assignee'],
  addendum: ['assignee'],
  release: ['assignee'],
  reassign: ['admin', 'assignee'],
  comment: ['admin', 'assignee', 'department_specialist', 'requester'],
  link_study: ['requester'],
  join_consult: ['admin', 'assignee', 'requesting_department'],
  request_second_opinion: ['assignee'],
  give_second_opinion: ['second_reader'],
  rate_image_quality: ['assignee', 'second_reader'],
  acknowledge_critical: ['requester', 'requesting_department'],
  annotate: ['assignee'],
};

const COUNTY = 'county-hospital';
const COUNTY_RAD = 'county-radiology';
const COUNTY_US = 'county-ultrasound';
const CITY_RAD = 'city-radiology';
const OTHER_CITY = 'other-city-department';

const people: Record<string, CaseViewer> = {
  technician: { userId: 't1', role: 'technician', hospitalId: COUNTY, departmentId: COUNTY_RAD },
  otherCountyDept: { userId: 't2', role: 'technician', hospitalId: COUNTY, departmentId: COUNTY_US },
  otherHospital: { userId: 't3', role: 'technician', hospitalId: 'elsewhere', departmentId: 'elsewhere-rad' },
  assignee: { userId: 's1', role: 'specialist', hospitalId: 'city', departmentId: CITY_RAD },
  colleague: { userId: 's2', role: 'specialist', hospitalId: 'city', departmentId: CITY_RAD },
  stranger: { userId: 's3', role: 'specialist', hospitalId: 'city', departmentId: OTHER_CITY },
  admin: { userId: 'a1', role: 'admin', hospitalId: null, departmentId: null },
};

const caseIn = (state: CaseParties['state']): CaseParties => ({
  state,
  requestingHospitalId: COUNTY,
  requestingDepartmentId: COUNTY_RAD,
  targetDepartmentId: CITY_RAD,
  assignedSpecialistId: state === 'draft' || state === 'submitted' || state === 'cancelled' ? null : 's1',
});

describe('the permission table', () => {
  it('allows each operation to exactly the relations written out here', () => {
    expect(Object.keys(CASE_PERMISSIONS).sort()).toEqual([...CASE_OPERATIONS].sort());
    for (const op of CASE_OPERATIONS) {
      expect([...CASE_PERMISSIONS[op].allow].sort(), op).toEqual(EXPECTED_ALLOW[op]);
    }
  });

  it('names who each person is to a case', () => {
    const c = caseIn('in_review');
    expect(caseRelations(people.technician!, c)).toEqual(['requester', 'requesting_department']);
    expect(caseRelations(people.otherCountyDept!, c)).toEqual(['requester']);
    expect(caseRelations(people.otherHospital!, c)).toEqual([]);
    expect(caseRelations(people.assignee!, c)).toEqual(['assignee', 'department_specialist']);
    expect(caseRelations(people.colleague!, c)).toEqual(['department_specialist']);
    expect(caseRelations(people.stranger!, c)).toEqual([]);
    expect(caseRelations(people.admin!, c)).toEqual(['admin']);
  });

  it('makes the specialist asked for a second opinion its second reader, only while the request is open', () => {
    const asked = { ...caseIn('preliminary'), secondOpinionSpecialistId: 's3' };
    expect(caseRelations(people.stranger!, asked)).toEqual(['second_reader']);
    expect(permits(people.stranger!, 'give_second_opinion', asked)).toBe(true);
    expect(permits(people.colleague!, 'give_second_opinion', asked)).toBe(false);
    expect(permits(people.stranger!, 'give_second_opinion', caseIn('preliminary'))).toBe(false);
    expect(permits(people.stranger!, 'finalize', asked)).toBe(false);
  });

  // What each person is offered in each state: the state machine and the permission table together.
  const OFFERED: Record<string, Record<(typeof CASE_STATES)[number], string[]>> = {
    technician: {
      draft: ['submit', 'cancel'],
      submitted: ['cancel'],
      assigned: ['cancel'],
      in_review: ['cancel'],
      preliminary: [],
      final: [],
      cancelled: [],
    },
    assignee: {
      draft: [],
      submitted: ['claim'],
      assigned: ['start_review', 'release', 'reassign'],
      in_review: ['preliminary', 'finalize', 'release', 'reassign'],
      preliminary: ['finalize', 'reassign'],
      final: ['addendum'],
      cancelled: [],
    },
    colleague: {
      draft: [],
      submitted: ['claim'],
      assigned: [],
      in_review: [],
      preliminary: [],
      final: [],
      cancelled: [],
    },
    stranger: {
      draft: [],
      submitted: [],
      assigned: [],
      in_review: [],
      preliminary: [],
      final: [],
      cancelled: [],
    },
    admin: {
      draft: ['submit', 'cancel'],
      submitted: ['assign', 'cancel'],
      assigned: ['reassign', 'cancel'],
      in_review: ['reassign', 'cancel'],
      preliminary: ['reassign'],
      final: [],
      cancelled: [],
    },
  };
  for (const [who, byState] of Object.entries(OFFERED)) {
    for (const state of CASE_STATES) {
      it(`offers the ${who} on a ${state} case: ${byState[state].join(', ') || 'nothing'}`, () => {
        expect([...availableCaseActions(people[who]!, caseIn(state))].sort()).toEqual(
          [...byState[state]].sort(),
        );
      });
    }
  }

  it('lets the county team and the reader into the consult, and nobody else', () => {
    const c = caseIn('in_review');
    expect(permits(people.technician!, 'join_consult', c)).toBe(true);
    expect(permits(people.otherCountyDept!, 'join_consult', c)).toBe(false);
    expect(permits(people.assignee!, 'join_consult', c)).toBe(true);
    expect(permits(people.colleague!, 'join_consult', c)).toBe(false);
    expect(permits(people.admin!, 'join_consult', c)).toBe(true);
  });
});
