import type { Role } from '@telemed/contracts';
import type { Actor, RequestOrigin } from '../actor.js';
import type { Queryable } from '../pool.js';
import { firstRow } from '../rows.js';

/** How long a session may sit unused, and how long it may live at all. */
export interface SessionLimits {
  idleMs: number;
  absoluteMs: number;
}

/** The outcome of presenting a refresh token. */
export type RotateResult =
  | { kind: 'rotated'; sessionId: string; userId: string; absoluteExpiresAt: Date }
  | { kind: 'reused'; sessionId: string; userId: string }
  | { kind: 'expired' | 'revoked'; sessionId: string; userId: string }
  | { kind: 'unknown' };

interface ActorRow {
  user_id: string;
  username: string;
  display_name: string;
  role: Role;
  hospital_id: string | null;
  department_id: string | null;
  touch: boolean;
}

// last_seen_at is written at most this often by ordinary requests, so reading the API is not a write per request.
const TOUCH_EVERY_SECONDS = 60;

/** Login sessions and their rotating refresh tokens (stored only as hashes). */
export class SessionsRepository {
  constructor(private readonly db: Queryable) {}

  /** Opens a session with its first refresh token. */
  async create(
    userId: string,
    tokenHash: Buffer,
    limits: SessionLimits,
    origin: RequestOrigin,
  ): Promise<{ sessionId: string; absoluteExpiresAt: Date }> {
    const { rows } = await this.db.query<{ id: string; absolute_expires_at: Date }>(
      `INSERT INTO auth_sessions (user_id, absolute_expires_at, ip, user_agent)
       VALUES ($1, now() + make_interval(secs => $2::double precision / 1000), $3, $4)
       RETURNING id, absolute_expires_at`,
      [userId, limits.absoluteMs, origin.ip, origin.userAgent.slice(0, 500)],
    );
    const session = firstRow(rows);
    await this.db.query('INSERT INTO refresh_tokens (session_id, token_hash) VALUES ($1, $2)', [
      session.id,
      tokenHash,
    ]);
    return { sessionId: session.id, absoluteExpiresAt: session.absolute_expires_at };
  }

  /**
   * Spends refresh token `oldHash` and issues `newHash` in its place. A token spent twice means it was stolen:
   * the whole session is revoked. Must run inside a transaction (the token row is locked).
   */
  async rotate(oldHash: Buffer, newHash: Buffer, limits: SessionLimits): Promise<RotateResult> {
    const { rows } = await this.db.query<{
      token_id: string;
      used_at: Date | null;
      session_id: string;
      user_id: string;
      revoked_at: Date | null;
      idle: boolean;
      absolute_expires_at: Date;
      past_absolute: boolean;
      user_active: boolean;
    }>(
      `SELECT t.id AS token_id, t.used_at, s.id AS session_id, s.user_id, s.revoked_at, s.absolute_expires_at,
              s.last_seen_at < now() - make_interval(secs => $2::double precision / 1000) AS idle,
              s.absolute_expires_at <= now() AS past_absolute, u.active AS user_active
       FROM refresh_tokens t
       JOIN auth_sessions s ON s.id = t.session_id
       JOIN users u ON u.id = s.user_id
       WHERE t.token_hash = $1
       FOR UPDATE OF t, s`,
      [oldHash, limits.idleMs],
    );
    const row = rows[0];
    if (!row) return { kind: 'unknown' };
    const ids = { sessionId: row.session_id, userId: row.user_id };
    if (row.revoked_at) return { kind: 'revoked', ...ids };
    if (row.used_at) {
      await this.revoke(row.session_id, 'refresh token reused');
      return { kind: 'reused', ...ids };
    }
    if (row.idle || row.past_absolute || !row.user_active) {
      await this.revoke(row.session_id, row.user_active ? 'expired' : 'user deactivated');
      return { kind: 'expired', ...ids };
    }
    await this.db.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [row.token_id]);
    await this.db.query('INSERT INTO refresh_tokens (session_id, token_hash) VALUES ($1, $2)', [
      row.session_id,
      newHash,
    ]);
    await this.db.query('UPDATE auth_sessions SET last_seen_at = now() WHERE id = $1', [row.session_id]);
    return { kind: 'rotated', ...ids, absoluteExpiresAt: row.absolute_expires_at };
  }

  /** Ends a session: its access and refresh tokens stop working at once. */
  async revoke(sessionId: string, reason: string): Promise<void> {
    await this.db.query(
      'UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL',
      [sessionId, reason],
    );
  }

  /** Ends every open session of a user (deactivation, password change). */
  async revokeAllOf(userId: string, reason: string): Promise<void> {
    await this.db.query(
      'UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL',
      [userId, reason],
    );
  }

  /**
   * The actor behind an access token, or null when its session is revoked, idle too long, past its absolute
   * limit, or its user is deactivated.
   */
  async actorFor(sessionId: string, userId: string, limits: SessionLimits): Promise<Actor | null> {
    const { rows } = await this.db.query<ActorRow>(
      `SELECT u.id AS user_id, u.username, u.display_name, u.role, u.hospital_id, u.department_id,
              s.last_seen_at < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS}) AS touch
       FROM auth_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND u.active
         AND s.absolute_expires_at > now()
         AND s.last_seen_at >= now() - make_interval(secs => $3::double precision / 1000)`,
      [sessionId, userId, limits.idleMs],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.touch)
      await this.db.query('UPDATE auth_sessions SET last_seen_at = now() WHERE id = $1', [sessionId]);
    return {
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      hospitalId: row.hospital_id,
      departmentId: row.department_id,
      sessionId,
    };
  }
}
