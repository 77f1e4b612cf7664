import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOCKET_EVENTS, type Case, type CaseHistoryEntry, type Notification } from '@telemed/contracts';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSeries } from '@telemed/dicom';
import { startTestApp, TEST_REDIS_URL, type TestApp } from '../test/test-app.js';

// The router as it runs in production: its own process, meeting the api only in Postgres, Redis and socket.io.
const routerJs = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'router',
  'dist',
  'server.js',
);

let t: TestApp;
let router: ChildProcess;
let base: string;

beforeAll(async () => {
  t = await startTestApp({ STUDY_STABLE_SECONDS: '1' });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  router = spawn(process.execPath, [routerJs], {
    env: {
      ...process.env,
      DATABASE_URL: t.config.DATABASE_URL,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: t.config.REDIS_KEY_PREFIX,
      ROUTER_SWEEP_SECONDS: '1',
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
});
afterAll(async () => {
  router.kill('SIGTERM');
  if (router.exitCode === null) await once(router, 'exit');
  await t.close();
});

async function socketOf(username: string): Promise<Socket> {
  const socket = connect(base, { auth: { token: await t.login(username) }, transports: ['websocket'] });
  await new Promise<void>((resolve, reject) => {
    socket.on('connect', resolve);
    socket.on('connect_error', reject);
  });
  return socket;
}

describe('from the county to the city, through the router process', () => {
  it('a head CT sent by 青川 reaches an on-duty neuro reader of the partnered department, live, once its study is complete', async () => {
    const tech = await t.login('wangjianguo');
    // whichever neuro reader is on duty now may be chosen: listen on all their sockets; and make sure, whatever the
    // hour of the run, that one of 青川's partnered department is on duty
    const specialists = (await t.db.users.list({ role: 'specialist' })).filter((u) =>
      u.subspecialties.includes('neuro'),
    );
    const qingchuanPartner = specialists.find((u) => u.username === 'zhouguohua');
    await t.db.seed.ensureShift({
      userId: qingchuanPartner?.id ?? '',
      departmentId: qingchuanPartner?.departmentId ?? '',
      startsAt: new Date(Date.now() - 3_600_000),
      endsAt: new Date(Date.now() + 3_600_000),
      modalities: [],
      note: 'test',
    });
    const sockets = await Promise.all(specialists.map((s) => socketOf(s.username)));
    try {
      const received = new Promise<Notification>((resolve) => {
        for (const socket of sockets) socket.on(SOCKET_EVENTS.notification, resolve);
      });
      const files = [...generateSeries({ modality: 'CT', slices: 2, rows: 64, columns: 64, seed: 4242 })];
      const stored = await t.stow(tech, files);
      expect(stored.statusCode, stored.body).toBe(200);
      const url = String(stored.json<Record<string, { Value: string[] }>>()['00081190']?.Value[0]);
      const studyInstanceUid = url.slice(url.lastIndexOf('/') + 1);
      const created = await t.as(tech, {
        method: 'POST',
        url: '/api/cases',
        payload: {
          patient: { mrn: 'QC-FLOW-1', name: '张三', sex: 'M' },
          urgency: 'stat',
          clinicalQuestion: '突发意识障碍',
          modality: 'CT',
          bodyPart: 'HEAD',
          studyInstanceUid,
        },
      });
      const id = created.json<Case>().id;
      await t.as(tech, { method: 'POST', url: `/api/cases/${id}/submit` });

      const note = await received;
      expect(note).toMatchObject({ kind: 'case.assigned', caseId: id, page: true, body: '突发意识障碍' });
      const seen = (await t.as(tech, { method: 'GET', url: `/api/cases/${id}` })).json<Case>();
      expect(seen).toMatchObject({ state: 'assigned', assignedSpecialistId: note.userId });
      expect(seen.routingDecision?.ruleName).toMatch(/神经/);
      const history = (await t.as(tech, { method: 'GET', url: `/api/cases/${id}/history` })).json<
        CaseHistoryEntry[]
      >();
      expect(history.map((h) => h.action)).toEqual(['create', 'submit', 'assign']);
    } finally {
      for (const socket of sockets) socket.close();
    }
  }, 30_000);
});
