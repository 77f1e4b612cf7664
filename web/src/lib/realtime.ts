import type { ClientToServerEvents, ServerToClientEvents } from '@telemed/contracts';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { io, type Socket } from 'socket.io-client';
import { freshAccessToken } from './api-client';
import { currentSession, onSessionChange } from './session';

type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type EventName = keyof ServerToClientEvents;

// the server refuses a handshake with an expired token in its middleware, which socket.io does not retry by itself
const RETRY_MS = [1_000, 3_000, 10_000, 30_000];

let socket: RealtimeSocket | null = null;
let socketUserId: string | null = null;
let retries = 0;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
const connectedListeners = new Set<() => void>();
// whether the socket is up now, for screens that fall back to polling while it is not
let up = false;
const upListeners = new Set<() => void>();

function setUp(value: boolean): void {
  if (up === value) return;
  up = value;
  for (const listener of upListeners) listener();
}

function close(): void {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  retries = 0;
  socket?.removeAllListeners();
  socket?.disconnect();
  socket = null;
  socketUserId = null;
  setUp(false);
}

/**
 * The tab's one socket to the api's notification channel, opened for the signed-in user: each (re)connection signs
 * in with a fresh access token; it closes on sign-out and reopens for whoever signs in next.
 */
function connection(): RealtimeSocket | null {
  const session = currentSession();
  if (!session) {
    close();
    return null;
  }
  if (socket && socketUserId === session.user.id) return socket;
  close();
  socketUserId = session.user.id;
  let forceRefresh = false;
  const s: RealtimeSocket = io({
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    auth: (send) => {
      const force = forceRefresh;
      forceRefresh = false;
      void freshAccessToken(force).then((token) => {
        send({ token: token ?? '' });
      });
    },
  });
  s.on('connect', () => {
    retries = 0;
    setUp(true);
    for (const listener of connectedListeners) listener();
  });
  s.on('connect_error', () => {
    setUp(false);
    // socket.io retries transport failures itself; a refused sign-in (`active` false) is ours to retry
    if (s.active || !currentSession()) return;
    forceRefresh = true;
    const wait = RETRY_MS[Math.min(retries, RETRY_MS.length - 1)] ?? 30_000;
    retries += 1;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (socket === s) s.connect();
    }, wait);
  });
  s.on('disconnect', (reason) => {
    setUp(false);
    // the server closed it (the session ended elsewhere, or the token behind it): try again with a fresh token
    if (reason === 'io server disconnect' && currentSession() && socket === s) {
      forceRefresh = true;
      s.connect();
    }
  });
  socket = s;
  return s;
}

onSessionChange((session) => {
  if (!session) close();
  else if (socketUserId && session.user.id !== socketUserId) close();
});

/**
 * Calls `handler` on each `name` event the server sends this user, while the component is mounted. The handler may
 * change between renders without the subscription being remade.
 */
export function useRealtimeEvent<E extends EventName>(name: E, handler: ServerToClientEvents[E]): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    const s = connection();
    if (!s) return undefined;
    const listener = ((...args: Parameters<ServerToClientEvents[E]>) => {
      (latest.current as (...a: Parameters<ServerToClientEvents[E]>) => void)(...args);
    }) as ServerToClientEvents[E];
    // socket.io's typed `on` cannot relate a generic event name to its listener
    (s.on as (event: E, fn: ServerToClientEvents[E]) => void)(name, listener);
    return () => {
      (s.off as (event: E, fn: ServerToClientEvents[E]) => void)(name, listener);
    };
  }, [name]);
}

/**
 * Calls `handler` each time the socket (re)connects, e.g. to read again what may have changed while it was away.
 */
export function useRealtimeReconnect(handler: () => void): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    connection();
    const listener = (): void => {
      latest.current();
    };
    connectedListeners.add(listener);
    return () => {
      connectedListeners.delete(listener);
    };
  }, []);
}

/** Whether the tab's socket is connected now (opening it if need be), re-rendering when that changes. */
export function useRealtimeConnected(): boolean {
  useEffect(() => {
    connection();
  }, []);
  return useSyncExternalStore(
    (notify) => {
      upListeners.add(notify);
      return () => {
        upListeners.delete(notify);
      };
    },
    () => up,
  );
}
