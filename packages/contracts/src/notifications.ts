import { Type, type Static } from '@sinclair/typebox';
import { Instant, Uuid, oneOf } from './common.js';

export const NOTIFICATION_KINDS = [
  'case.assigned',
  'case.pool',
  'case.sla_breached',
  'case.reassigned_away',
  /** to the technician who opened the case: a specialist has it */
  'case.accepted',
  /** to the other side of the case's comment thread */
  'case.commented',
  /** to the technician who opened the case: a report version is written */
  'case.reported',
  /** to the specialist asked for a second opinion */
  'case.second_opinion_requested',
  /** to the specialist who asked: the second opinion is written */
  'case.second_opinion_given',
  /** to the specialist asked: the request was withdrawn, nothing more to write */
  'case.second_opinion_withdrawn',
  /** to the technician who sent the images: a reader rated their quality (带教 feedback) */
  'case.quality_rated',
  /** to the staff of the requesting department: a critical finding to acknowledge */
  'case.critical_finding',
  /** to the requesting department's head, then the administrators: nobody acknowledged a critical finding in time */
  'case.critical_escalated',
  /** to the specialist who flagged it: the requesting side acknowledged the critical finding */
  'case.critical_acknowledged',
  /** to the other side of the case: a video consult has started and waits for them (rings; links to the consult) */
  'consult.invited',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A message to one user, kept until read; socket.io delivers it live, the list shows it on the next login. */
export const Notification = Type.Object({
  id: Type.String({ pattern: '^[0-9]+$' }),
  userId: Uuid,
  caseId: Type.Union([Uuid, Type.Null()]),
  kind: oneOf(NOTIFICATION_KINDS),
  page: Type.Boolean({ description: 'STAT work or an escalation: shown and sounded until acknowledged' }),
  title: Type.String(),
  body: Type.String(),
  createdAt: Instant,
  deliveredAt: Type.Union([Instant, Type.Null()]),
  readAt: Type.Union([Instant, Type.Null()]),
});
export type Notification = Static<typeof Notification>;

export const NotificationListQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean({ description: 'only those not yet read' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type NotificationListQuery = Static<typeof NotificationListQuery>;

export const NotificationIdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });
export type NotificationIdParams = Static<typeof NotificationIdParams>;
