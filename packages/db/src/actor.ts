import type { Role } from '@telemed/contracts';

/** Who is asking: the signed-in user as every repository query sees them. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  hospitalId: string | null;
  departmentId: string | null;
  sessionId: string;
  /** the platform acting on its own (the router): history and audit name no user */
  system?: true;
}

/** The router, assigning and escalating on its own: an administrator's reach, no user's name. */
export const ROUTER_ACTOR: Actor = {
  userId: '00000000-0000-0000-0000-000000000000',
  username: 'router',
  displayName: '分诊路由',
  role: 'admin',
  hospitalId: null,
  departmentId: null,
  sessionId: '',
  system: true,
};

/** The user id to record for an actor: none for the platform itself. */
export function recordedUserId(actor: Pick<Actor, 'userId' | 'system'>): string | null {
  return actor.system ? null : actor.userId;
}

/** Where a request came from, for the audit trail. */
export interface RequestOrigin {
  ip: string;
  userAgent: string;
  requestId: string;
}
