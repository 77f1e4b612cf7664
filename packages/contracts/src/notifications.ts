import { Type, type Static } from '@sinclair/typebox';
import { Instant, Uuid } from './common.js';

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
  /** to the other side of the case: a video consult has started and waits for them (rings; links to the consult) */
  'consult.invited',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A message to one user, kept until read; socket.io delivers it live, the list shows it on the next login. */
export const Notification = Type.Object({
  id: Type.String({ pattern: '^[0-9]+$' }),
  userId: Uuid,
  caseId: Type.Union([Uuid, Type.Null()]),
  kind: Type.Union(NOTIFICATION_KINDS.map((k) => Type.Literal(k))),
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
