import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, FieldError } from '@telemed/contracts';
import { tableDigests } from '@telemed/db';
import { startTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
let tech: string;
let admin: string;
let draftId: string;

const good = {
  patient: { mrn: 'QC-BAD-1', name: '赵六', sex: 'M', birthDate: '1966-01-05' },
  urgency: 'stat',
  clinicalQuestion: '车祸后昏迷，排除颅内出血',
};

beforeAll(async () => {
  t = await startTestApp({ BODY_LIMIT_BYTES: '65536' });
  tech = await t.login('wangjianguo');
  admin = await t.login('admin');
  draftId = (await t.as(tech, { method: 'POST', url: '/api/cases', payload: good })).json<Case>().id;
});
afterAll(async () => {
  await t.close();
});

interface Bad {
  name: string;
  method: 'POST' | 'PATCH' | 'GET';
  url: string;
  token?: 'tech' | 'admin';
  payload?: string | object;
  contentType?: string;
  status: number;
  field?: string;
}

const BAD: Bad[] = [
  {
    name: 'urgency of the wrong type',
    method: 'POST',
    url: '/api/cases',
    payload: { ...good, urgency: 3 },
    status: 400,
    field: 'urgency',
  },
  {
    name: 'urgency not one of the choices',
    method: 'POST',
    url: '/api/cases',
    payload: { ...good, urgency: 'soon' },
    status: 400,
    field: 'urgency',
  },
  {
    name: 'a number where text belongs',
    method: 'POST',
    url: '/api/cases',
    payload: { ...good, clinicalQuestion: 42 },
    status: 400,
    field: 'clinicalQuestion',
  },
  {
    name: 'patient missing',
    method: 'POST',
    url: '/api/cases',
    payload: { urgency: 'stat', clinicalQuestion: 'x' },
    status: 400,
    field: 'patient',
  },
  {
    name: 'a blank clinical question',
    method: 'POST',
    url: '/api/cases',
    payload: { ...good, clinicalQuestion: '   ' },
    status: 400,
    field: 'clinicalQuestion',
  },
  {
    name: 'a birth date that is no date',
    method: 'POST',
    url: '/api/cases',
    payload: { ...good, patient: { ...good.patient, birthDate: '1966-13-45' } },
    status: 400,
    field: 'patient.birthDate',
  },
  {
    name: 'sex outside M/F/O',
    method: 'POST',
    url: '/api/cases',
    payload: { ...good, patient: { ...good.patient, sex: 'male' } },
    status: 400,
    field: 'patient.sex',
  },
  {
    name: 'an unknown field',
    method: 'POST',
    url: '/api/cases',
    payload: { ...good, priority: 'high' },
    status: 400,
    field: 'priority',
  },
  {
    name: 'a malformed study UID',
    method: 'POST',
    url: '/api/cases',
    payload: { ...good, studyInstanceUid: '1.2.abc' },
    status: 400,
    field: 'studyInstanceUid',
  },
  {
    name: 'an oversized clinical history',
    method: 'POST',
    url: '/api/cases',
    payload: { ...good, clinicalHistory: '病'.repeat(9000) },
    status: 400,
    field: 'clinicalHistory',
  },
  {
    name: 'a body over the size limit',
    method: 'POST',
    url: '/api/cases',
    payload: { ...good, clinicalHistory: 'x'.repeat(70_000) },
    status: 413,
  },
  {
    name: 'broken JSON',
    method: 'POST',
    url: '/api/cases',
    payload: '{"patient": {',
    contentType: 'application/json',
    status: 400,
  },
  {
    name: 'a JSON array instead of an object',
    method: 'POST',
    url: '/api/cases',
    payload: '[1,2]',
    contentType: 'application/json',
    status: 400,
  },
  {
    name: 'form data instead of JSON',
    method: 'POST',
    url: '/api/cases',
    payload: 'urgency=stat',
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
  },
  {
    name: 'a case id that is no UUID',
    method: 'GET',
    url: '/api/cases/not-a-uuid',
    status: 400,
    field: 'params.id',
  },
  {
    name: 'a limit out of range',
    method: 'GET',
    url: '/api/cases?limit=100000',
    status: 400,
    field: 'querystring.limit',
  },
  {
    name: 'a state that does not exist',
    method: 'GET',
    url: '/api/cases?state=lost',
    status: 400,
    field: 'querystring.state.0',
  },
  { name: 'a forged cursor', method: 'GET', url: '/api/cases?cursor=bm9wZQ', status: 400 },
  {
    name: 'a report of an unknown kind',
    method: 'POST',
    url: '/api/cases/:draft/reports',
    payload: { kind: 'draft', findings: 'a', impression: 'b' },
    status: 400,
    field: 'kind',
  },
  {
    name: 'a cancel without a reason',
    method: 'POST',
    url: '/api/cases/:draft/cancel',
    payload: {},
    status: 400,
    field: 'reason',
  },
  {
    name: 'a user with a short password',
    method: 'POST',
    url: '/api/users',
    token: 'admin',
    payload: { username: 'newbie', displayName: '新人', password: 'short', role: 'admin' },
    status: 400,
    field: 'password',
  },
  {
    name: 'a technician with no department',
    method: 'POST',
    url: '/api/users',
    token: 'admin',
    payload: { username: 'newtech', displayName: '新技师', password: 'long-enough-1', role: 'technician' },
    status: 400,
    field: 'hospitalId',
  },
  {
    name: 'a taken username',
    method: 'POST',
    url: '/api/users',
    token: 'admin',
    payload: { username: 'liming', displayName: '另一个李明', password: 'long-enough-1', role: 'admin' },
    status: 409,
  },
  {
    name: 'an empty hospital update',
    method: 'PATCH',
    url: '/api/hospitals/00000000-0000-4000-8000-000000000000',
    token: 'admin',
    payload: {},
    status: 400,
  },
  {
    name: 'a shift that ends before it starts',
    method: 'POST',
    url: '/api/roster',
    token: 'admin',
    payload: {
      userId: '00000000-0000-4000-8000-000000000000',
      departmentId: '00000000-0000-4000-8000-000000000000',
      startsAt: '2026-12-01T08:00:00Z',
      endsAt: '2026-12-01T07:00:00Z',
    },
    status: 400,
    field: 'endsAt',
  },
  {
    name: 'a partnership of two county departments',
    method: 'POST',
    url: '/api/partnerships',
    token: 'admin',
    payload: {
      countyDepartmentId: '00000000-0000-4000-8000-000000000000',
      cityDepartmentId: '00000000-0000-4000-8000-000000000001',
    },
    status: 400,
    field: 'countyDepartmentId',
  },
];

describe('bad input', () => {
  for (const bad of BAD) {
    it(`${bad.name}: ${bad.status} with what to fix, and nothing stored or changed`, async () => {
      const before = await tableDigests(t.db.pool);
      const res = await t.as(bad.token === 'admin' ? admin : tech, {
        method: bad.method,
        url: bad.url.replace(':draft', draftId),
        ...(bad.payload === undefined ? {} : { payload: bad.payload }),
        ...(bad.contentType ? { headers: { 'content-type': bad.contentType } } : {}),
      });
      expect(res.statusCode, res.body).toBe(bad.status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json<{
        detail: string;
        code: string;
        errors?: { field: string; message: string }[];
      }>();
      expect(problem.detail.length).toBeGreaterThan(10);
      if (bad.field) expect(problem.errors?.map((e) => e.field)).toContain(bad.field);
      const after = await tableDigests(t.db.pool);
      // only the audit trail may grow: it records the refused attempt
      expect({ ...after, audit_events: '' }).toEqual({ ...before, audit_events: '' });
    });
  }

  it('names every bad field at once', async () => {
    const res = await t.as(tech, {
      method: 'POST',
      url: '/api/cases',
      payload: { patient: { mrn: 1, sex: 'X' }, urgency: 'soon' },
    });
    const fields = res.json<{ errors: FieldError[] }>().errors;
    expect(fields.map((f) => f.field).sort()).toEqual(
      ['clinicalQuestion', 'patient.mrn', 'patient.name', 'patient.sex', 'urgency'].sort(),
    );
    expect(fields.find((f) => f.field === 'urgency')?.message).toBe('must be one of: stat, urgent, routine');
    // each with the stable code and values a client says it by in its user's language
    expect(fields.find((f) => f.field === 'urgency')).toMatchObject({
      reason: 'one_of',
      params: { choices: ['stat', 'urgent', 'routine'] },
    });
    expect(fields.find((f) => f.field === 'patient.mrn')).toMatchObject({
      reason: 'wrong_type',
      params: { type: 'string' },
    });
    expect(fields.find((f) => f.field === 'clinicalQuestion')?.reason).toBe('required');
  });

  it('an unknown route answers a problem too', async () => {
    const res = await t.as(tech, { method: 'GET', url: '/api/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found' });
  });
});
