import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Department, Hospital, Partnership, RosterEntry, User } from '@telemed/contracts';
import { startTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
let admin: string;
let tech: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  tech = await t.login('wangjianguo');
});
afterAll(async () => {
  await t.close();
});

describe('administration', () => {
  it('lists users with their role and placement, for admins only', async () => {
    const res = await t.as(admin, { method: 'GET', url: '/api/users' });
    const users = res.json<User[]>();
    expect(users.length).toBe(25);
    const liming = users.find((u) => u.username === 'liming');
    expect(liming).toMatchObject({ role: 'specialist', subspecialties: ['neuro'] });
    const hospitals = (await t.as(admin, { method: 'GET', url: '/api/hospitals' })).json<Hospital[]>();
    const central = hospitals.find((h) => h.code === 'NZ-CENTRAL');
    const depts = (await t.as(admin, { method: 'GET', url: '/api/departments' })).json<Department[]>();
    const radiology = depts.find((d) => d.hospitalId === central?.id && d.code === 'RAD');
    expect(liming?.hospitalId).toBe(central?.id);
    expect(liming?.departmentId).toBe(radiology?.id);
    expect(users.some((u) => 'passwordHash' in u || 'password_hash' in u)).toBe(false);
    expect((await t.as(tech, { method: 'GET', url: '/api/users' })).statusCode).toBe(403);
  });

  it('sets up a new county hospital end to end: hospital, department, partnership, technician, who can then submit', async () => {
    const h = await t.as(admin, {
      method: 'POST',
      url: '/api/hospitals',
      payload: { code: 'LUOSHAN', name: '罗山县人民医院', kind: 'county', region: '南州市罗山县' },
    });
    expect(h.statusCode, h.body).toBe(201);
    const hospital = h.json<Hospital>();
    const d = await t.as(admin, {
      method: 'POST',
      url: '/api/departments',
      payload: { hospitalId: hospital.id, code: 'RAD', name: '放射科', specialty: 'radiology' },
    });
    expect(d.statusCode).toBe(201);
    const dept = d.json<Department>();
    const depts = (await t.as(admin, { method: 'GET', url: '/api/departments' })).json<Department[]>();
    const hospitals = (await t.as(admin, { method: 'GET', url: '/api/hospitals' })).json<Hospital[]>();
    const central = hospitals.find((x) => x.code === 'NZ-CENTRAL')!;
    const cityRad = depts.find((x) => x.hospitalId === central.id && x.code === 'RAD')!;
    const p = await t.as(admin, {
      method: 'POST',
      url: '/api/partnerships',
      payload: { countyDepartmentId: dept.id, cityDepartmentId: cityRad.id },
    });
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json<Partnership>()).toMatchObject({ priority: 0, active: true });
    const dup = await t.as(admin, {
      method: 'POST',
      url: '/api/partnerships',
      payload: { countyDepartmentId: dept.id, cityDepartmentId: cityRad.id },
    });
    expect(dup.statusCode).toBe(409);

    const u = await t.as(admin, {
      method: 'POST',
      url: '/api/users',
      payload: {
        username: 'zhoujie',
        displayName: '周杰',
        password: 'first-password-1',
        role: 'technician',
        hospitalId: hospital.id,
        departmentId: dept.id,
      },
    });
    expect(u.statusCode, u.body).toBe(201);
    const res = await t.loginFull('zhoujie', 'first-password-1');
    expect(res.statusCode).toBe(200);
    const token = res.json<{ accessToken: string }>().accessToken;
    const c = await t.as(token, {
      method: 'POST',
      url: '/api/cases',
      payload: {
        patient: { mrn: 'LS-1', name: '钱八', sex: 'M' },
        urgency: 'routine',
        clinicalQuestion: '腰痛',
      },
    });
    const submitted = await t.as(token, {
      method: 'POST',
      url: `/api/cases/${c.json<{ id: string }>().id}/submit`,
    });
    expect(submitted.json()).toMatchObject({ state: 'submitted', targetDepartmentId: cityRad.id });
  });

  it('refuses people in the wrong kind of hospital', async () => {
    const depts = (await t.as(admin, { method: 'GET', url: '/api/departments' })).json<Department[]>();
    const hospitals = (await t.as(admin, { method: 'GET', url: '/api/hospitals' })).json<Hospital[]>();
    const city = hospitals.find((x) => x.kind === 'city')!;
    const cityDept = depts.find((x) => x.hospitalId === city.id)!;
    const res = await t.as(admin, {
      method: 'POST',
      url: '/api/users',
      payload: {
        username: 'wrongplace',
        displayName: '错位',
        password: 'long-enough-1',
        role: 'technician',
        hospitalId: city.id,
        departmentId: cityDept.id,
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { message: string }[] }>().errors[0]?.message).toMatch(/county/);
  });

  it('renames and deactivates a hospital; technicians cannot', async () => {
    const hospitals = (await t.as(admin, { method: 'GET', url: '/api/hospitals' })).json<Hospital[]>();
    const baisha = hospitals.find((x) => x.code === 'BAISHA')!;
    expect(
      (await t.as(tech, { method: 'PATCH', url: `/api/hospitals/${baisha.id}`, payload: { active: false } }))
        .statusCode,
    ).toBe(403);
    const res = await t.as(admin, {
      method: 'PATCH',
      url: `/api/hospitals/${baisha.id}`,
      payload: { name: '白沙县第一人民医院', active: false },
    });
    expect(res.json<Hospital>()).toMatchObject({ name: '白沙县第一人民医院', active: false });
    const missing = await t.as(admin, {
      method: 'PATCH',
      url: '/api/hospitals/00000000-0000-4000-8000-000000000000',
      payload: { active: false },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('keeps each hospital’s time zone, refusing one that is not a time zone', async () => {
    const hospitals = (await t.as(admin, { method: 'GET', url: '/api/hospitals' })).json<Hospital[]>();
    expect(hospitals.find((x) => x.code === 'QINGCHUAN')?.timeZone).toBe('Asia/Shanghai');
    const created = await t.as(admin, {
      method: 'POST',
      url: '/api/hospitals',
      payload: {
        code: 'KASHI-1',
        name: '喀什县人民医院',
        kind: 'county',
        region: '喀什地区',
        timeZone: 'Asia/Urumqi',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const kashi = created.json<Hospital>();
    expect(kashi.timeZone).toBe('Asia/Urumqi');
    for (const timeZone of ['Asia/Xinjiang', 'UTC+6', 'Beijing time']) {
      const bad = await t.as(admin, {
        method: 'PATCH',
        url: `/api/hospitals/${kashi.id}`,
        payload: { timeZone },
      });
      expect(bad.statusCode, timeZone).toBe(400);
      expect(bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['timeZone']);
    }
    const refused = await t.as(admin, {
      method: 'POST',
      url: '/api/hospitals',
      payload: {
        code: 'KASHI-2',
        name: '疏附县人民医院',
        kind: 'county',
        region: '喀什地区',
        timeZone: 'Asia/Kashi',
      },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ errors: { field: string; message: string }[] }>().errors).toEqual([
      {
        field: 'timeZone',
        message: 'must be an IANA time zone name such as Asia/Shanghai or Asia/Urumqi',
        reason: 'time_zone',
      },
    ]);
    const moved = await t.as(admin, {
      method: 'PATCH',
      url: `/api/hospitals/${kashi.id}`,
      payload: { timeZone: 'Asia/Shanghai' },
    });
    expect(moved.json<Hospital>().timeZone).toBe('Asia/Shanghai');
  });

  it('keeps the duty roster: who is on at an instant, add and remove a shift', async () => {
    const users = (await t.as(admin, { method: 'GET', url: '/api/users' })).json<User[]>();
    const liming = users.find((u) => u.username === 'liming')!;
    const onNow = await t.as(tech, { method: 'GET', url: `/api/roster?at=${new Date().toISOString()}` });
    expect(onNow.statusCode).toBe(200);
    // every department has someone on day or night at any instant
    const departments = new Set(onNow.json<RosterEntry[]>().map((e) => e.departmentId));
    expect(departments.size).toBe(4);

    const start = new Date(Date.now() + 90 * 86_400_000);
    const shift = await t.as(admin, {
      method: 'POST',
      url: '/api/roster',
      payload: {
        userId: liming.id,
        departmentId: liming.departmentId,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 8 * 3_600_000).toISOString(),
        modalities: ['CT', 'MR'],
        note: '加班',
      },
    });
    expect(shift.statusCode, shift.body).toBe(201);
    const entry = shift.json<RosterEntry>();
    const at = new Date(start.getTime() + 3_600_000).toISOString();
    const found = await t.as(admin, { method: 'GET', url: `/api/roster?at=${at}&userId=${liming.id}` });
    expect(found.json<RosterEntry[]>().map((e) => e.id)).toEqual([entry.id]);

    const hours = (h: number): string => new Date(start.getTime() + h * 3_600_000).toISOString();
    const add = (from: number, to: number): ReturnType<typeof t.as> =>
      t.as(admin, {
        method: 'POST',
        url: '/api/roster',
        payload: {
          userId: liming.id,
          departmentId: liming.departmentId,
          startsAt: hours(from),
          endsAt: hours(to),
        },
      });
    const overlapping = await add(4, 12);
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.json<{ detail: string }>().detail).toMatch(/overlaps one this specialist already has/);
    // the next shift may start the moment this one ends
    const next = await add(8, 20);
    expect(next.statusCode, next.body).toBe(201);
    expect(
      (await t.as(admin, { method: 'DELETE', url: `/api/roster/${next.json<RosterEntry>().id}` })).statusCode,
    ).toBe(204);
    expect((await t.as(admin, { method: 'DELETE', url: `/api/roster/${entry.id}` })).statusCode).toBe(204);
    expect((await t.as(admin, { method: 'DELETE', url: `/api/roster/${entry.id}` })).statusCode).toBe(404);
  });

  it('changing a password ends the sessions that used the old one', async () => {
    const token = await t.login('machao');
    const id = await t.userId('machao');
    await t.as(admin, { method: 'PATCH', url: `/api/users/${id}`, payload: { password: 'a-brand-new-one' } });
    expect((await t.as(token, { method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    expect((await t.loginFull('machao', 'a-brand-new-one')).statusCode).toBe(200);
  });
});
