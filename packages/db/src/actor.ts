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
}

/** Where a request came from, for the audit trail. */
export interface RequestOrigin {
  ip: string;
  userAgent: string;
  requestId: string;
}
