import { createAdapter } from '@socket.io/redis-adapter';
import { ADMIN_ROOM, userRoom, type AccessClaims } from '@telemed/contracts';
import type { Actor } from '@telemed/db';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { Server, type Socket } from 'socket.io';

declare module 'fastify' {
  interface FastifyInstance {
    /** socket.io on the api's HTTP server; rooms are shared with every replica through Redis */
    io: Server;
  }
}

export interface RealtimeOptions {
  redisUrl: string;
  /** the socket.io channel is `${keyPrefix}socket.io`, where the router's emitter publishes */
  keyPrefix: string;
}

/** The signed-in user of a socket. */
export function socketActor(socket: Socket): Actor {
  return (socket.data as { actor: Actor }).actor;
}

/**
 * socket.io for live notifications, behind the same sign-in as HTTP: the client sends its access token as
 * `auth.token`; the session behind it must be live. Each socket joins its user's room (and administrators the admin
 * room); the Redis adapter lets the router, or any replica, reach a user wherever they are connected.
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
    const io = new Server(app.server, {
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
          (socket.data as { actor: Actor }).actor = actor;
          next();
        })
        .catch((error: unknown) => {
          app.log.error({ err: error }, 'socket sign-in failed');
          next(new Error('sign-in failed; try again'));
        });
    });
    io.on('connection', (socket) => {
      const actor = socketActor(socket);
      void socket.join(userRoom(actor.userId));
      if (actor.role === 'admin') void socket.join(ADMIN_ROOM);
    });
    app.decorate('io', io);
    app.addHook('onClose', async () => {
      await io.close();
      await Promise.all([pub.quit(), sub.quit()]);
    });
  },
  { name: 'realtime', dependencies: ['auth', 'database'] },
);
