import { Type, type Static } from '@sinclair/typebox';
import { Instant, Page, PageQuery, Uuid, oneOf } from './common.js';

export const AUDIT_OUTCOMES = ['success', 'denied', 'not_found', 'invalid', 'conflict', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export const AuditOutcome = oneOf(AUDIT_OUTCOMES);

export const AuditEvent = Type.Object({
  id: Type.String({ description: 'monotonic event number' }),
  at: Instant,
  actorId: Type.Union([Uuid, Type.Null()]),
  actorUsername: Type.String(),
  actorRole: Type.String(),
  action: Type.String(),
  resourceType: Type.String(),
  resourceId: Type.Union([Type.String(), Type.Null()]),
  hospitalId: Type.Union([Uuid, Type.Null()]),
  outcome: AuditOutcome,
  ip: Type.String(),
  userAgent: Type.String(),
  requestId: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEvent = Static<typeof AuditEvent>;

export const AuditQuery = Type.Object(
  {
    actorId: Type.Optional(Uuid),
    userId: Type.Optional(
      Type.String({ format: 'uuid', description: 'events by this user, or done to their account' }),
    ),
    caseId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'events about this case: its reads and changes, its studies, the lists that showed it',
      }),
    ),
    patientMrn: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'events about a patient by medical record number (病历号): their cases and their studies',
      }),
    ),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    resourceType: Type.Optional(Type.String({ maxLength: 50 })),
    resourceId: Type.Optional(Type.String({ maxLength: 100 })),
    outcome: Type.Optional(AuditOutcome),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditPage = Page(AuditEvent);
export type AuditPage = Static<typeof AuditPage>;
