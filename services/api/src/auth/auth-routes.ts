import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  AppError,
  LoginBody,
  Me,
  Problem,
  RefreshBody,
  TokenPair,
  type AccessClaims,
  type User,
} from '@telemed/contracts';
import type { LoginCandidate } from '@telemed/db';
import { actorOf } from '../plugins/auth.js';
import { disconnectSession } from '../plugins/realtime.js';
import { burnVerification, verifyPassword } from './passwords.js';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens.js';

export interface AuthRoutesOptions {
  maxFailures: number;
  lockoutMs: number;
  accessTokenTtlSeconds: number;
  loginRateLimitPerMinute: number;
}

/** Login, refresh with rotation, logout, and who am I. */
export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, options) => {
  const limits = app.sessionLimits;

  async function meOf(user: User, sessionId: string): Promise<Me> {
    const hospital = user.hospitalId ? await app.db.hospitals.getHospital(user.hospitalId) : null;
    const department = user.departmentId ? await app.db.hospitals.getDepartment(user.departmentId) : null;
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      hospitalId: user.hospitalId,
      hospitalName: hospital?.name ?? null,
      departmentId: user.departmentId,
      departmentName: department?.name ?? null,
      subspecialties: user.subspecialties,
      sessionId,
    };
  }

  async function tokens(
    userId: string,
    sessionId: string,
    refreshToken: string,
    expiresAt: Date,
  ): Promise<TokenPair> {
    const user = await app.db.users.get(userId);
    const claims: AccessClaims = { sub: user.id, sid: sessionId, role: user.role };
    return {
      tokenType: 'Bearer',
      accessToken: app.jwt.sign(claims),
      expiresIn: options.accessTokenTtlSeconds,
      refreshToken,
      sessionExpiresAt: expiresAt.toISOString(),
      user: await meOf(user, sessionId),
    };
  }

  app.post(
    '/auth/login',
    {
      config: {
        public: true,
        rateLimit: { max: options.loginRateLimitPerMinute, timeWindow: 60_000 },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password',
        security: [],
        body: LoginBody,
        response: { 200: TokenPair, 400: Problem, 401: Problem, 423: Problem, 429: Problem },
      },
    },
    async (request) => {
      const { username, password } = request.body;
      const audit = async (
        outcome: 'success' | 'denied',
        user: LoginCandidate | null,
        reason: string,
      ): Promise<void> => {
        app.loginCounter.inc({ outcome: reason });
        await app.db.audit.record({
          actor: user ? { userId: user.id, username: user.username, role: user.role } : null,
          action: 'auth.login',
          resourceType: 'session',
          resourceId: null,
          outcome,
          origin: request.origin,
          details: { username, reason },
        });
      };
      const candidate = await app.db.users.findForLogin(username);
      if (!candidate) {
        await burnVerification(password);
        await audit('denied', null, 'unknown user');
        throw new AppError('wrong_password', 'the username or password is wrong');
      }
      if (candidate.lockedUntil && candidate.lockedUntil > new Date()) {
        await audit('denied', candidate, 'locked');
        throw lockedError(candidate.lockedUntil);
      }
      if (!(await verifyPassword(candidate.passwordHash, password))) {
        const lockedUntil = await app.db.users.recordFailedLogin(
          candidate.id,
          options.maxFailures,
          options.lockoutMs,
        );
        await audit('denied', candidate, 'wrong password');
        if (lockedUntil && lockedUntil > new Date()) throw lockedError(lockedUntil);
        throw new AppError('wrong_password', 'the username or password is wrong');
      }
      if (!candidate.active) {
        await audit('denied', candidate, 'deactivated');
        throw new AppError('account_deactivated', 'this account is deactivated; ask an administrator');
      }
      await app.db.users.recordGoodLogin(candidate.id);
      const refreshToken = newRefreshToken();
      const session = await app.db.sessions.create(
        candidate.id,
        hashRefreshToken(refreshToken),
        limits,
        request.origin,
      );
      await audit('success', candidate, 'ok');
      return tokens(candidate.id, session.sessionId, refreshToken, session.absoluteExpiresAt);
    },
  );

  app.post(
    '/auth/refresh',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Trade a refresh token for a new access token and a new refresh token',
        description: 'Each refresh token works once. Presenting a spent one ends the whole session.',
        security: [],
        body: RefreshBody,
        response: { 200: TokenPair, 400: Problem, 401: Problem },
      },
    },
    async (request) => {
      const next = newRefreshToken();
      const result = await app.db.transaction((tx) =>
        tx.sessions.rotate(hashRefreshToken(request.body.refreshToken), hashRefreshToken(next), limits),
      );
      if (result.kind === 'rotated') {
        return tokens(result.userId, result.sessionId, next, result.absoluteExpiresAt);
      }
      // a reused token or an expired session ended the session: its live sockets end with it
      if (result.kind === 'reused' || result.kind === 'expired') disconnectSession(app.io, result.sessionId);
      if (result.kind !== 'unknown') {
        await app.db.audit.record({
          actor: null,
          action: result.kind === 'reused' ? 'auth.refresh_reuse' : 'auth.refresh',
          resourceType: 'session',
          resourceId: result.sessionId,
          outcome: 'denied',
          origin: request.origin,
          details: { userId: result.userId, reason: result.kind },
        });
      }
      throw new AppError(
        result.kind === 'reused' ? 'refresh_token_reused' : 'session_ended',
        result.kind === 'reused'
          ? 'this refresh token was already used, so the session was ended for safety; sign in again'
          : 'the session has ended; sign in again',
      );
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End this session: its access and refresh tokens stop working',
        response: { 204: Type.Null(), 401: Problem },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await app.db.sessions.revoke(actor.sessionId, 'logout');
      await app.db.audit.record({
        actor,
        action: 'auth.logout',
        resourceType: 'session',
        resourceId: actor.sessionId,
        outcome: 'success',
        origin: request.origin,
      });
      disconnectSession(app.io, actor.sessionId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: Me, 401: Problem } } },
    async (request) => {
      const actor = actorOf(request);
      return meOf(await app.db.users.get(actor.userId), actor.sessionId);
    },
  );
};

function lockedError(until: Date): AppError {
  return new AppError(
    'locked_until',
    `too many failed sign-ins; the account is locked until ${until.toISOString()} or until an administrator unlocks it`,
    { params: { until: until.toISOString() } },
  );
}
