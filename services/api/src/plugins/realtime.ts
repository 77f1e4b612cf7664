import { createAdapter } from '@socket.io/redis-adapter';
import {
  ADMIN_ROOM,
  departmentRoom,
  rolePermits,
  sessionRoom,
  userRoom,
  type AccessClaims,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '@telemed/contracts';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

/** The api's socket.io server, typed by the event maps in contracts. */
export type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

declare module 'fastify' {
  interface FastifyInstance {
    /** socket.io on the api's HTTP server; rooms are shared with every replica through Redis */
    io: RealtimeServer;
  }
}

export interface RealtimeOptions {
  redisUrl: string;
  /** the socket.io channel is `${keyPrefix}socket.io`, where the router's emitter publishes */
  keyPrefix: string;
}

/** Closes the sockets of an ended session, on whichever replica holds them. */
export function disconnectSession(io: RealtimeServer, sessionId: string): void {
  io.in(sessionRoom(sessionId)).disconnectSockets(true);
}

/** Closes every socket of a user (deactivated, or every session ended), on whichever replica holds them. */
export function disconnectUser(io: RealtimeServer, userId: string): void {
  io.in(userRoom(userId)).disconnectSockets(true);
}

/**
 * socket.io for live notifications, behind the same sign-in as HTTP: the client sends its access token as
 * `auth.token`; the session behind it must be live. Each socket joins its user's and its session's rooms (and
 * administrators the admin room); the Redis adapter lets the router, or any replica, reach a user wherever they are
 * connected, and lets whichever replica ends a session close that session's sockets.
 */
export default fp<RealtimeOptions>(
  async (app, options) => {
    const pub = new Redis(options.redisUrl);
    const sub = pub.duplicate();
    for (const client of [pub, sub]) {
      client.on('error', (error: Error) => {
        app.log.warn({ err: error }, 'socket.io adapter connection error');
      });
    }
    const io: RealtimeServer = new Server(app.server, {
      serveClient: false,
      adapter: createAdapter(pub, sub, { key: `${options.keyPrefix}socket.io` }),
    });
    io.use((socket, next) => {
      const token: unknown = (socket.handshake.auth as { token?: unknown }).token;
      if (typeof token !== 'string') {
        next(new Error('send auth: { token: <accessToken> } from POST /api/auth/login'));
        return;
      }
      let claims: AccessClaims;
      try {
        claims = app.jwt.verify<AccessClaims>(token);
      } catch {
        next(new Error('the access token is invalid or expired; refresh it and connect again'));
        return;
      }
      app.db.sessions
        .actorFor(claims.sid, claims.sub, app.sessionLimits)
        .then((actor) => {
          if (!actor) {
            next(new Error('this session has ended; sign in again'));
            return;
          }
          socket.data = {
            userId: actor.userId,
            sessionId: actor.sessionId,
            role: actor.role,
            departmentId: actor.departmentId,
          };
          next();
        })
        .catch((error: unknown) => {
          app.log.error({ err: error }, 'socket sign-in failed');
          next(new Error('sign-in failed; try again'));
        });
    });
    io.on('connection', (socket) => {
      const { userId, sessionId, role, departmentId } = socket.data;
      void socket.join([userRoom(userId), sessionRoom(sessionId)]);
      // the pool's news goes to those who may claim from it: the department's specialists
      if (role === 'specialist' && departmentId) void socket.join(departmentRoom(departmentId));
      // the live queue figures go to those who may manage the queues
      if (rolePermits(role, 'queues.manage')) void socket.join(ADMIN_ROOM);
      // a session ended between the sign-in check and joining its room missed the disconnect sent to that room
      app.db.sessions
        .actorFor(sessionId, userId, app.sessionLimits)
        .then((actor) => {
          if (!actor) socket.disconnect(true);
        })
        .catch((error: unknown) => {
          app.log.error({ err: error }, 'socket session re-check failed; closing the socket');
          socket.disconnect(true);
        });
    });
    app.decorate('io', io);
    app.addHook('onClose', async () => {
      await io.close();
      await Promise.all([pub.quit(), sub.quit()]);
    });
  },
  { name: 'realtime', dependencies: ['auth', 'database'] },
);
