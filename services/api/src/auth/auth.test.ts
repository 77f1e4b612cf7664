import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '@telemed/contracts';
import { ageSession } from '@telemed/db';
import { startTestApp, type TestApp } from '../test/test-app.js';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  user: { sessionId: string; username: string; role: string };
}

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_MINUTES: '10' });
  });
  afterAll(async () => {
    await t.close();
  });

  const refresh = (refreshToken: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
  const me = (token: string) => t.as(token, { method: 'GET', url: '/api/me' });

  it('signs in a demo technician and shows who they are', async () => {
    const res = await t.loginFull('wangjianguo');
    expect(res.statusCode).toBe(200);
    const body = res.json<Tokens>();
    expect(body.user).toMatchObject({ username: 'wangjianguo', role: 'technician' });
    const who = await me(body.accessToken);
    expect(who.statusCode).toBe(200);
    expect(who.json()).toMatchObject({
      displayName: '王建国',
      hospitalName: '青川县人民医院',
      departmentName: '放射科',
    });
  });

  it('accepts the username in any case', async () => {
    expect((await t.loginFull('WangJianGuo')).statusCode).toBe(200);
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await t.loginFull('liming', 'not-the-password');
    const unknown = await t.loginFull('nobody-here', 'whatever1');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json<Problem>().detail).toBe(unknown.json<Problem>().detail);
    // the refusal's own code, the same for both, for a client to say it in its user's language
    expect(wrong.json<Problem>()).toMatchObject({ code: 'invalid_credentials', reason: 'wrong_password' });
    expect(unknown.json<Problem>().reason).toBe('wrong_password');
    expect(wrong.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses /api without a token, with a bad token, and with a token signed by someone else', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/cases' })).statusCode).toBe(401);
    expect((await t.as('garbage', { method: 'GET', url: '/api/cases' })).statusCode).toBe(401);
    const forged =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4Iiwic2lkIjoieCIsInJvbGUiOiJhZG1pbiJ9.' +
      'c2lnbmF0dXJlLW1hZGUtdXAtYnktYW4tYXR0YWNrZXI';
    expect((await t.as(forged, { method: 'GET', url: '/api/cases' })).statusCode).toBe(401);
  });

  it('locks an account after repeated failures, even against the right password, until an admin unlocks it', async () => {
    for (let i = 0; i < 2; i++)
      expect((await t.loginFull('chenjing', 'wrong-password')).statusCode).toBe(401);
    const third = await t.loginFull('chenjing', 'wrong-password');
    expect(third.statusCode).toBe(423);
    expect(third.json<Problem>().detail).toMatch(/locked until/);
    expect(third.json<Problem>()).toMatchObject({ code: 'account_locked', reason: 'locked_until' });
    expect(Date.parse(String(third.json<Problem>().params?.until))).not.toBeNaN();
    expect((await t.loginFull('chenjing')).statusCode).toBe(423);

    const admin = await t.login('admin');
    const id = await t.userId('chenjing');
    const listed = await t.as(admin, { method: 'GET', url: `/api/users/${id}` });
    expect(listed.json<{ lockedUntil: string | null }>().lockedUntil).not.toBeNull();
    const unlock = await t.as(admin, { method: 'PATCH', url: `/api/users/${id}`, payload: { unlock: true } });
    expect(unlock.statusCode).toBe(200);
    expect((await t.loginFull('chenjing')).statusCode).toBe(200);
  });

  it('a good login resets the failure count', async () => {
    for (let i = 0; i < 2; i++) await t.loginFull('liuyang', 'wrong-password');
    expect((await t.loginFull('liuyang')).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) expect((await t.loginFull('liuyang', 'wrong-password')).statusCode).toBe(401);
    expect((await t.loginFull('liuyang')).statusCode).toBe(200);
  });

  it('rotates refresh tokens: each works once and the new pair works', async () => {
    const first = (await t.loginFull('zhaolei')).json<Tokens>();
    const r1 = await refresh(first.refreshToken);
    expect(r1.statusCode).toBe(200);
    const second = r1.json<Tokens>();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.sessionId).toBe(first.user.sessionId);
    expect((await me(second.accessToken)).statusCode).toBe(200);
    const r2 = await refresh(second.refreshToken);
    expect(r2.statusCode).toBe(200);
  });

  it('treats a spent refresh token as stolen: the whole session ends', async () => {
    const first = (await t.loginFull('sunli')).json<Tokens>();
    const second = (await refresh(first.refreshToken)).json<Tokens>();
    const replay = await refresh(first.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json<Problem>().detail).toMatch(/already used/);
    // the legitimate holder's newer tokens die with the session
    expect((await refresh(second.refreshToken)).statusCode).toBe(401);
    expect((await me(second.accessToken)).statusCode).toBe(401);
    const admin = await t.login('admin');
    const audit = await t.as(admin, {
      method: 'GET',
      url: `/api/admin/audit?action=auth.refresh_reuse&resourceId=${first.user.sessionId}`,
    });
    expect(audit.json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('rejects an unknown refresh token', async () => {
    expect((await refresh('this-is-not-a-token')).statusCode).toBe(401);
  });

  it('logout ends the session for both tokens', async () => {
    const tokens = (await t.loginFull('wufang')).json<Tokens>();
    const out = await t.as(tokens.accessToken, { method: 'POST', url: '/api/auth/logout' });
    expect(out.statusCode).toBe(204);
    expect((await me(tokens.accessToken)).statusCode).toBe(401);
    expect((await refresh(tokens.refreshToken)).statusCode).toBe(401);
  });

  it('ends a session left idle too long', async () => {
    const tokens = (await t.loginFull('xuwen')).json<Tokens>();
    await ageSession(t.db.pool, tokens.user.sessionId, {
      idleMs: (t.config.SESSION_IDLE_MINUTES + 1) * 60_000,
    });
    expect((await me(tokens.accessToken)).statusCode).toBe(401);
    expect((await refresh(tokens.refreshToken)).statusCode).toBe(401);
  });

  it('ends a session past its absolute lifetime even while in use', async () => {
    const tokens = (await t.loginFull('zhengqiang')).json<Tokens>();
    expect((await me(tokens.accessToken)).statusCode).toBe(200);
    await ageSession(t.db.pool, tokens.user.sessionId, {
      lifeMs: t.config.SESSION_ABSOLUTE_HOURS * 3_600_000 + 1000,
    });
    expect((await me(tokens.accessToken)).statusCode).toBe(401);
    expect((await refresh(tokens.refreshToken)).statusCode).toBe(401);
  });

  it('deactivating a user ends their sessions and stops new logins', async () => {
    const tokens = (await t.loginFull('huangmin')).json<Tokens>();
    const admin = await t.login('admin');
    const id = await t.userId('huangmin');
    expect(
      (await t.as(admin, { method: 'PATCH', url: `/api/users/${id}`, payload: { active: false } }))
        .statusCode,
    ).toBe(200);
    expect((await me(tokens.accessToken)).statusCode).toBe(401);
    expect((await t.loginFull('huangmin')).statusCode).toBe(401);
  });

  it('records every sign-in attempt in the audit trail', async () => {
    await t.loginFull('hexue', 'wrong-password');
    await t.loginFull('hexue');
    const admin = await t.login('admin');
    const res = await t.as(admin, {
      method: 'GET',
      url: `/api/admin/audit?action=auth.login&actorId=${await t.userId('hexue')}`,
    });
    const outcomes = res.json<{ items: { outcome: string }[] }>().items.map((e) => e.outcome);
    expect(outcomes).toEqual(['success', 'denied']);
  });
});
