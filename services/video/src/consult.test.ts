import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type {
  ConsultWelcome,
  LiveAnnotation,
  LiveAnnotationDraft,
  SharedViewState,
} from '@telemed/contracts';
import { ask, createVideoWorld, STUDY_UID, type ConsultClient, type VideoWorld } from './test/world.js';

let world: VideoWorld;

beforeAll(async () => {
  world = await createVideoWorld();
}, 60_000);
afterAll(async () => {
  await world.close();
});

/** The next time `socket` hears `event`. */
function next<T>(socket: ConsultClient, event: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no ${event} within 10 s`));
    }, 10_000);
    (socket as unknown as { once: (e: string, f: (v: T) => void) => void }).once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

async function join(socket: ConsultClient, caseId = world.caseId): Promise<ConsultWelcome> {
  const answer = await ask<ConsultWelcome>(socket, 'consult:join', { caseId });
  if (!answer.ok) throw new Error(`join refused: ${answer.error.message}`);
  return answer.data;
}

const view = (imageIndex: number, windowCenter: number): SharedViewState => ({
  studyInstanceUid: '1.2.3',
  seriesInstanceUid: '1.2.3.4',
  imageIndex,
  windowWidth: 400,
  windowCenter,
  scale: 1.5,
  translation: { x: 10, y: -4 },
  rotation: 0,
  hflip: false,
  vflip: false,
  invert: false,
});

/** A length on the 8th image of the case's study. */
const mark = (id: string): LiveAnnotationDraft => ({
  id,
  tool: 'Length',
  studyInstanceUid: STUDY_UID,
  seriesInstanceUid: '1.2.3.4',
  sopInstanceUid: '1.2.3.4.8',
  imageIndex: 7,
  points: [
    { x: 120.5, y: 88 },
    { x: 301, y: 240.25 },
  ],
});

describe('who may join a case’s consult', () => {
  it('refuses a socket without a token, saying what to send', async () => {
    const socket = io(`http://127.0.0.1:${world.service.port}`, {
      path: '/consult/socket.io',
      transports: ['websocket'],
      reconnection: false,
    });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.disconnect();
    expect(error.message).toMatch(/send auth: \{ token/);
  });

  it('refuses a forged token', async () => {
    const socket = io(`http://127.0.0.1:${world.service.port}`, {
      path: '/consult/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bm90LXNpZ25lZA' },
    });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.disconnect();
    expect(error.message).toMatch(/invalid or expired/);
  });

  it('answers another hospital’s technician as if the case did not exist', async () => {
    const other = await world.connect('other');
    const answer = await ask(other, 'consult:join', { caseId: world.caseId });
    // with the refusal's own code, for the browser to say it in its user's language
    expect(answer).toMatchObject({ ok: false, error: { code: 'not_found', reason: 'case_not_found' } });
    other.disconnect();
  });

  it('refuses a specialist of the city department who is not on the case, with the reason', async () => {
    const colleague = await world.connect('colleague');
    const answer = await ask(colleague, 'consult:join', { caseId: world.caseId });
    expect(answer).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: expect.stringMatching(/only the assigned specialist/) as string,
        reason: 'case_not_permitted',
        params: { allow: expect.arrayContaining(['assignee']) as string[] },
      },
    });
    colleague.disconnect();
  });

  it('says what is wrong with a malformed request', async () => {
    const tech = await world.connect('tech');
    expect(await ask(tech, 'consult:join', { caseId: 'case 7' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/UUID/) as string },
    });
    expect(await ask(tech, 'consult:transport:create', { direction: 'send' })).toMatchObject({
      ok: false,
      error: { code: 'not_in_room' },
    });
    tech.disconnect();
  });
});

describe('a consult between the county technician and the city specialist', () => {
  let reader: ConsultClient;
  let tech: ConsultClient;
  let first: ConsultWelcome;

  it('lets both in; the first to join presents and the other is told who came', async () => {
    reader = await world.connect('reader');
    first = await join(reader);
    expect(first.presenterPeerId).toBe(first.self.peerId);
    expect(first.self.hospitalName).toBe('CITY 医院');
    const codecs = (first.routerRtpCapabilities as { codecs: { mimeType: string }[] }).codecs.map(
      (c) => c.mimeType,
    );
    expect(codecs).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']));
    tech = await world.connect('tech');
    const joined = next<{ displayName: string }>(reader, 'consult:peer-joined');
    const second = await join(tech);
    expect((await joined).displayName).toBe('tech');
    expect(second.peers.map((p) => p.displayName)).toEqual(['reader']);
    expect(second.roomId).toBe(first.roomId);
  });

  it('makes WebRTC transports with ICE candidates on the configured address', async () => {
    const answer = await ask<{ id: string; iceCandidates: { ip: string; protocol: string }[] }>(
      tech,
      'consult:transport:create',
      { direction: 'send' },
    );
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.data.iceCandidates.map((c) => `${c.ip}/${c.protocol}`)).toEqual(
      expect.arrayContaining(['127.0.0.1/udp', '127.0.0.1/tcp']),
    );
    const restarted = await ask<{ iceParameters: { usernameFragment: string } }>(
      tech,
      'consult:transport:restart-ice',
      { transportId: answer.data.id },
    );
    expect(restarted).toMatchObject({ ok: true });
  });

  it('relays the presenter’s view and pointer to the others, and drops a view from anyone else', async () => {
    const seen = next<SharedViewState & { peerId: string }>(tech, 'consult:view');
    reader.emit('consult:view', view(41, 40));
    expect(await seen).toMatchObject({ imageIndex: 41, windowCenter: 40, peerId: first.self.peerId });
    const pointer = next<{ position: { x: number; y: number } }>(tech, 'consult:pointer');
    reader.emit('consult:pointer', { x: 120, y: 88 });
    expect((await pointer).position).toEqual({ x: 120, y: 88 });

    // the technician is not presenting: the specialist never sees their view
    let leaked = false;
    reader.once('consult:view', () => {
      leaked = true;
    });
    tech.emit('consult:view', view(3, 999));
    await ask(tech, 'consult:chat', { text: '看到了' });
    expect(leaked).toBe(false);
  });

  it('hands the presentation over, and then follows the new presenter', async () => {
    const techPeer = (await join(tech)).self.peerId;
    const told = next<{ peerId: string }>(tech, 'consult:presenter');
    expect(await ask(reader, 'consult:presenter', { peerId: techPeer })).toMatchObject({ ok: true });
    expect((await told).peerId).toBe(techPeer);
    const seen = next<SharedViewState>(reader, 'consult:view');
    tech.emit('consult:view', view(7, 300));
    expect(await seen).toMatchObject({ imageIndex: 7, windowCenter: 300 });
    // and the former presenter can no longer hand it on
    expect(await ask(reader, 'consult:presenter', { peerId: first.self.peerId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('keeps chat for whoever joins later, and refuses an empty line', async () => {
    const heard = next<{ text: string }>(reader, 'consult:chat');
    const sent = await ask<{ text: string }>(tech, 'consult:chat', { text: '  右肺下叶，请看第 7 层  ' });
    expect(sent).toMatchObject({ ok: true, data: { text: '右肺下叶，请看第 7 层' } });
    expect((await heard).text).toBe('右肺下叶，请看第 7 层');
    expect(await ask(tech, 'consult:chat', { text: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    const admin = await world.connect('admin');
    const welcome = await join(admin);
    expect(welcome.chat.map((l) => l.text)).toContain('右肺下叶，请看第 7 层');
    expect(welcome.viewState).toMatchObject({ imageIndex: 7 });
    await ask(admin, 'consult:leave');
    admin.disconnect();
  });

  it('relays live marks on the case’s study to the others, and drops what is malformed or another’s', async () => {
    const readerPeer = (await join(reader)).self.peerId;
    const techPeer = (await join(tech)).self.peerId;
    // what is dropped never reaches the other side: the next mark it hears is the good one sent after them
    const heard = next<LiveAnnotation>(tech, 'consult:annotation');
    reader.emit('consult:annotation', { ...mark('m-study'), studyInstanceUid: '9.9.9' });
    reader.emit('consult:annotation', {
      ...mark('m-points'),
      points: [
        { x: 1, y: 2 },
        { x: 3, y: 4 },
        { x: 5, y: 6 },
      ],
    });
    reader.emit('consult:annotation', {
      ...mark('m-far'),
      points: [
        { x: 1, y: 2 },
        { x: 1e9, y: 4 },
      ],
    });
    reader.emit('consult:annotation', { ...mark('m-text'), tool: 'ArrowAnnotate', text: '长'.repeat(201) });
    reader.emit('consult:annotation', { ...mark('m-extra'), peerId: techPeer } as LiveAnnotationDraft);
    reader.emit('consult:annotation', { ...mark('m-uid'), sopInstanceUid: '1.2.3.x' });
    reader.emit('consult:annotation', mark('m-1'));
    expect(await heard).toEqual({ ...mark('m-1'), peerId: readerPeer });

    // a mark moved arrives again with the same id; another person cannot move it
    const moved = next<LiveAnnotation>(reader, 'consult:annotation');
    tech.emit('consult:annotation', {
      ...mark('m-1'),
      points: [
        { x: 0, y: 0 },
        { x: 1, y: 1 },
      ],
    });
    tech.emit('consult:annotation', { ...mark('t-1'), tool: 'ArrowAnnotate', text: '这里' });
    expect(await moved).toMatchObject({ id: 't-1', peerId: techPeer, text: '这里' });
    const admin = await world.connect('admin');
    const seen = (await join(admin)).annotations;
    expect(seen.find((a) => a.id === 'm-1')).toMatchObject({
      peerId: readerPeer,
      points: mark('m-1').points,
    });
    expect(seen.map((a) => a.id).sort()).toEqual(['m-1', 't-1']);

    // removing one, and clearing all of one's own, reach the others
    const removed = next<{ peerId: string; id: string }>(tech, 'consult:annotation:remove');
    reader.emit('consult:annotation:remove', { id: 't-1' });
    reader.emit('consult:annotation:remove', { id: 'm-1' });
    expect(await removed).toEqual({ peerId: readerPeer, id: 'm-1' });
    const cleared = next<{ peerId: string }>(reader, 'consult:annotation:clear');
    tech.emit('consult:annotation:clear');
    expect(await cleared).toEqual({ peerId: techPeer });

    // a person's marks leave with them
    const adminMark = next<LiveAnnotation>(reader, 'consult:annotation');
    admin.emit('consult:annotation', mark('a-1'));
    await adminMark;
    await ask(admin, 'consult:leave');
    admin.disconnect();
    expect((await join(reader)).annotations).toEqual([]);
  });

  it('moves the room to a live worker when its worker dies, and both sides are told to join the media again', async () => {
    const [room] = world.service.consults.rooms();
    if (!room) throw new Error('no room open');
    const died = room.worker.pid;
    const readerTold = next<{ reason: string }>(reader, 'consult:rejoin');
    const techTold = next<{ reason: string }>(tech, 'consult:rejoin');
    process.kill(died, 'SIGKILL');
    expect((await readerTold).reason).toMatch(/restarted/);
    await techTold;
    expect(room.worker.pid).not.toBe(died);
    expect(world.service.pool.pids()).not.toContain(died);
    expect(world.service.pool.size).toBe(2);
    // the same room, the shared state kept; transports can be made again on the new worker
    const again = await join(reader);
    expect(again.roomId).toBe(first.roomId);
    expect(again.viewState).toMatchObject({ imageIndex: 7 });
    expect(await ask(reader, 'consult:transport:create', { direction: 'recv' })).toMatchObject({ ok: true });
  });

  it('closes an empty room and keeps who joined, for how long, in the case history', async () => {
    await ask(tech, 'consult:leave');
    reader.disconnect();
    await expect.poll(() => world.service.consults.rooms().length, { timeout: 10_000 }).toBe(0);
    await expect
      .poll(
        async () => {
          const { rows } = await world.db.pool.query<{ action: string }>(
            `SELECT action FROM case_history WHERE case_id = $1 AND action LIKE 'consult_%' ORDER BY id`,
            [world.caseId],
          );
          return rows.map((r) => r.action);
        },
        { timeout: 10_000 },
      )
      .toEqual(
        expect.arrayContaining(['consult_started', 'consult_joined', 'consult_left', 'consult_ended']),
      );
    const { rows } = await world.db.pool.query<{ details: { seconds?: number } }>(
      `SELECT details FROM case_history WHERE case_id = $1 AND action = 'consult_left'`,
      [world.caseId],
    );
    expect(rows.every((r) => typeof r.details.seconds === 'number')).toBe(true);
  });
});
