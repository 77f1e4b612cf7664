import type { CaseState, Urgency } from './case-states.js';
import type { Role } from './people.js';
import type { Notification } from './notifications.js';
import type { QueueFigures } from './queue-figures.js';

/**
 * The socket.io event maps of the api's notification channel, shared by the server, the router's Redis emitter and
 * every client. Another socket.io service (video signalling) extends these interfaces with its own events, e.g.
 * `interface VideoServerToClientEvents extends ServerToClientEvents { 'consult:peer-joined': ... }`.
 */
export interface ServerToClientEvents {
  /** a notification, to its user */
  notification: (notification: Notification) => void;
  /** a case entered or left a department's pool, to that department's specialists */
  'case:pool': (change: PoolChange) => void;
  /** the queue figures, to administrators, whenever the queue moves (at most every few seconds) */
  'queue:figures': (figures: QueueFigures) => void;
}

/**
 * A case entering (state `submitted`) or leaving a department's pool. IDs, state and urgency only: a client reads
 * the case itself, through the visibility rule, if it wants more.
 */
export interface PoolChange {
  caseId: string;
  departmentId: string;
  state: CaseState;
  urgency: Urgency;
}

/** Events clients send: none on the notification channel yet (clients only listen). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so video's signalling can extend it
export interface ClientToServerEvents {}

/** Events between api replicas through the Redis adapter: none beyond socket.io's own. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so a service can extend it
export interface InterServerEvents {}

/** What the server keeps on each socket once its access token is checked. */
export interface SocketData {
  userId: string;
  sessionId: string;
  role: Role;
  /** the user's department, whose pool news a specialist's socket hears */
  departmentId: string | null;
}

/** The names of the server's events, for code that prefers a constant to a string. */
export const SOCKET_EVENTS = {
  notification: 'notification',
  queueFigures: 'queue:figures',
  pool: 'case:pool',
} as const satisfies Record<string, keyof ServerToClientEvents>;

/**
 * The rooms a socket joins: its user's, its session's (so ending a session reaches exactly its sockets, on every
 * replica), administrators the admin room, and specialists their department's room.
 */
export const userRoom = (userId: string): string => `user:${userId}`;
export const sessionRoom = (sessionId: string): string => `session:${sessionId}`;
export const ADMIN_ROOM = 'role:admin';
/** The room of a city department's specialists: its pool's news. */
export const departmentRoom = (departmentId: string): string => `department:${departmentId}`;
