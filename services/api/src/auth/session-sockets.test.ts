import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { ClientToServerEvents, ServerToClientEvents, TokenPair } from '@telemed/contracts';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import app, { serverOptions } from '../app.js';
import { startTestApp, type TestApp } from '../test/test-app.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

// Long enough for a disconnect to cross Redis on a busy machine; a socket still up after this was left open.
const DISCONNECT_WITHIN_MS = 5000;

let t: TestApp;
/** A second api replica on the same database and Redis: it ends sessions whose sockets the first one holds. */
let replica: FastifyInstance;
let base: string;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  replica = Fastify(serverOptions(t.config));
  await replica.register(app, { config: t.config });
  await replica.ready();
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await replica.close();
  await t.close();
});

async function signIn(username: string): Promise<TokenPair> {
  const res = await t.loginFull(username);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TokenPair>();
}

async function socketOf(accessToken: string): Promise<ClientSocket> {
  const socket: ClientSocket = connect(base, {
    auth: { token: accessToken },
    transports: ['websocket'],
    reconnection: false,
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Resolves with the reason the server gave for closing `socket`; rejects if it is still open after a while. */
function closedByServer(socket: ClientSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the socket is still connected ${DISCONNECT_WITHIN_MS} ms after its session ended`));
    }, DISCONNECT_WITHIN_MS);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** Whether `socket` is still up a moment after the others were closed (a disconnect would have arrived by then). */
async function stillConnected(socket: ClientSocket): Promise<boolean> {
  await new Promise((r) => setTimeout(r, 300));
  return socket.connected;
}

describe('a spent session loses its socket', { timeout: 20_000 }, () => {
  it('on logout, on every replica: that session only, and it cannot connect again', async () => {
    const ended = await signIn('liming');
    const other = await signIn('liming');
    const socket = await socketOf(ended.accessToken);
    const otherSocket = await socketOf(other.accessToken);

    const closed = closedByServer(socket);
    const logout = await replica.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${ended.accessToken}` },
    });
    expect(logout.statusCode).toBe(204);
    expect(await closed).toBe('io server disconnect');
    expect(await stillConnected(otherSocket)).toBe(true);

    const again = connect(base, {
      auth: { token: ended.accessToken },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(again);
    const refused = await new Promise<Error>((r) => again.once('connect_error', r));
    expect(refused.message).toBe('this session has ended; sign in again');
  });

  it('when a spent refresh token is presented again and the session is ended for safety', async () => {
    const session = await signIn('chenjing');
    const socket = await socketOf(session.accessToken);
    const refresh = (refreshToken: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });

    expect((await refresh(session.refreshToken)).statusCode).toBe(200);
    expect(await stillConnected(socket)).toBe(true);
    const closed = closedByServer(socket);
    const reuse = await refresh(session.refreshToken);
    expect(reuse.statusCode).toBe(401);
    expect(await closed).toBe('io server disconnect');
  });

  it('when an administrator deactivates the user: every session of theirs, and no one else', async () => {
    const [first, second, colleague] = await Promise.all([
      signIn('zhaolei'),
      signIn('zhaolei'),
      signIn('liuyang'),
    ]);
    const own = [await socketOf(first.accessToken), await socketOf(second.accessToken)];
    const colleagueSocket = await socketOf(colleague.accessToken);
    const closed = own.map(closedByServer);

    const admin = await t.login('admin');
    const res = await replica.inject({
      method: 'PATCH',
      url: `/api/users/${first.user.id}`,
      headers: { authorization: `Bearer ${admin}` },
      payload: { active: false },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await Promise.all(closed)).toEqual(['io server disconnect', 'io server disconnect']);
    expect(await stillConnected(colleagueSocket)).toBe(true);
  });
});
