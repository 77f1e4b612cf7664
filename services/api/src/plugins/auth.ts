import fastifyJwt from '@fastify/jwt';
import type { FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, type AccessClaims, type PlatformPermission } from '@telemed/contracts';
import { requirePlatformPermission } from '@telemed/domain';
import type { Actor, RequestOrigin, SessionLimits } from '@telemed/db';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set on every authenticated route, null on public ones. */
    actor: Actor | null;
    /** Where the request came from, for the audit trail. */
    origin: RequestOrigin;
  }
  interface FastifyContextConfig {
    /** Reachable without a token. */
    public?: boolean;
    /** Only holders of this permission (the permission table in contracts) may call the route; 403 for others. */
    permission?: PlatformPermission;
  }
  interface FastifyInstance {
    sessionLimits: SessionLimits;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}

// Every route under these prefixes needs a token unless it says `config.public`.
const PROTECTED_PREFIXES = ['/api/', '/dicomweb', '/wado'];

export interface AuthOptions {
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  sessionLimits: SessionLimits;
}

/** The actor of an authenticated route; throws if called on a public one. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('sign_in_first', 'sign in first');
  return request.actor;
}

/**
 * Access tokens: a short-lived JWT naming the user and the session. Every `/api`, `/dicomweb` and `/wado` route not
 * marked public checks
 * the token, then the session behind it (revoked, idle or expired sessions stop at once), then the route's permission.
 */
export default fp<AuthOptions>(
  async (app, options) => {
    await app.register(fastifyJwt, {
      secret: options.jwtSecret,
      sign: { expiresIn: options.accessTokenTtlSeconds, algorithm: 'HS256' },
      verify: { algorithms: ['HS256'] },
    });
    app.decorate('sessionLimits', options.sessionLimits);
    app.decorateRequest('actor', null);
    app.decorateRequest('origin', {
      getter(this: FastifyRequest): RequestOrigin {
        return {
          ip: this.ip,
          userAgent: this.headers['user-agent'] ?? '',
          requestId: this.id,
        };
      },
    });

    async function authenticate(request: FastifyRequest): Promise<void> {
      if (!request.headers.authorization?.startsWith('Bearer ')) {
        throw new AppError(
          'sign_in_first',
          'send Authorization: Bearer <accessToken> from POST /api/auth/login',
        );
      }
      let claims: AccessClaims;
      try {
        claims = await request.jwtVerify<AccessClaims>();
      } catch {
        throw new AppError(
          'token_expired',
          'the access token is invalid or expired; refresh it or sign in again',
        );
      }
      const actor = await app.db.sessions.actorFor(claims.sid, claims.sub, options.sessionLimits);
      if (!actor) throw new AppError('session_ended', 'this session has ended; sign in again');
      request.actor = actor;
      const permission = request.routeOptions.config.permission;
      if (permission) requirePlatformPermission(actor, permission);
    }

    app.addHook('onRoute', (route: RouteOptions) => {
      const guarded = PROTECTED_PREFIXES.some((prefix) => route.url.startsWith(prefix));
      if (!guarded || route.config?.public) return;
      const existing = route.onRequest ? [route.onRequest].flat() : [];
      route.onRequest = [authenticate, ...existing];
    });
  },
  { name: 'auth', dependencies: ['database'] },
);
