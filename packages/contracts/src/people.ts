import { Type, type Static } from '@sinclair/typebox';
import { Instant, Text, Uuid, oneOf } from './common.js';

export const HospitalKind = Type.Union([Type.Literal('county'), Type.Literal('city')], {
  description: 'county: examines (基层检查); city: diagnoses (上级诊断)',
});
export type HospitalKind = Static<typeof HospitalKind>;

export const Role = Type.Union([
  Type.Literal('technician'),
  Type.Literal('specialist'),
  Type.Literal('admin'),
]);
export type Role = Static<typeof Role>;

/** Subspecialties a specialist reads; routing matches on them. */
export const SUBSPECIALTIES = [
  'neuro',
  'chest',
  'abdomen',
  'msk',
  'cardiac',
  'ultrasound',
  'general',
] as const;
export const Subspecialty = oneOf(SUBSPECIALTIES);
export type Subspecialty = (typeof SUBSPECIALTIES)[number];

const Code = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' });

const SlaMinute = Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 });

/** Minutes from assignment to a first report, by urgency, agreed with a requesting hospital. */
export const SlaMinutes = Type.Object(
  { stat: SlaMinute, urgent: SlaMinute, routine: SlaMinute },
  { additionalProperties: false },
);
export type SlaMinutes = Static<typeof SlaMinutes>;

/** Minutes from a critical finding to telling the requesting department's head, then the administrators. */
export const CriticalAckMinutes = Type.Object(
  {
    head: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1440,
      description: 'to the head of the requesting department',
    }),
    admin: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1440,
      description: 'to the administrators; not before the head',
    }),
  },
  { additionalProperties: false },
);
export type CriticalAckMinutes = Static<typeof CriticalAckMinutes>;

/** The time zone a hospital keeps its working day in. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$',
  description:
    'IANA time zone the hospital keeps its working day in: Asia/Shanghai (Beijing time), Asia/Urumqi (Xinjiang ' +
    'time, UTC+6)... Its roster shifts, the time windows of routing rules for its cases and its days in the ' +
    `figures follow it. A new hospital keeps ${DEFAULT_TIME_ZONE} unless told otherwise`,
});
export type TimeZone = Static<typeof TimeZone>;

export const Hospital = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  kind: HospitalKind,
  region: Type.String(),
  active: Type.Boolean(),
  timeZone: TimeZone,
  slaMinutes: SlaMinutes,
  criticalAckMinutes: CriticalAckMinutes,
  createdAt: Instant,
});
export type Hospital = Static<typeof Hospital>;

export const HospitalCreate = Type.Object(
  {
    code: Code,
    name: Text(200),
    kind: HospitalKind,
    region: Text(200),
    timeZone: Type.Optional(TimeZone),
  },
  { additionalProperties: false },
);
export type HospitalCreate = Static<typeof HospitalCreate>;

export const HospitalUpdate = Type.Object(
  {
    name: Type.Optional(Text(200)),
    region: Type.Optional(Text(200)),
    active: Type.Optional(Type.Boolean()),
    timeZone: Type.Optional(TimeZone),
    slaMinutes: Type.Optional(Type.Partial(SlaMinutes, { additionalProperties: false, minProperties: 1 })),
    criticalAckMinutes: Type.Optional(
      Type.Partial(CriticalAckMinutes, { additionalProperties: false, minProperties: 1 }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type HospitalUpdate = Static<typeof HospitalUpdate>;

export const Department = Type.Object({
  id: Uuid,
  hospitalId: Uuid,
  code: Type.String(),
  name: Type.String(),
  specialty: Type.String(),
  active: Type.Boolean(),
});
export type Department = Static<typeof Department>;

export const DepartmentCreate = Type.Object(
  { hospitalId: Uuid, code: Code, name: Text(200), specialty: Text(60) },
  { additionalProperties: false },
);
export type DepartmentCreate = Static<typeof DepartmentCreate>;

export const DepartmentUpdate = Type.Object(
  {
    name: Type.Optional(Text(200)),
    specialty: Type.Optional(Text(60)),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DepartmentUpdate = Static<typeof DepartmentUpdate>;

export const Partnership = Type.Object({
  id: Uuid,
  countyDepartmentId: Uuid,
  cityDepartmentId: Uuid,
  priority: Type.Integer(),
  active: Type.Boolean(),
});
export type Partnership = Static<typeof Partnership>;

export const PartnershipCreate = Type.Object(
  {
    countyDepartmentId: Uuid,
    cityDepartmentId: Uuid,
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'lower is tried first' })),
  },
  { additionalProperties: false },
);
export type PartnershipCreate = Static<typeof PartnershipCreate>;

export const PartnershipUpdate = Type.Object(
  {
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PartnershipUpdate = Static<typeof PartnershipUpdate>;

export const User = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  hospitalId: Type.Union([Uuid, Type.Null()]),
  departmentId: Type.Union([Uuid, Type.Null()]),
  subspecialties: Type.Array(Type.String()),
  isDepartmentHead: Type.Boolean(),
  active: Type.Boolean(),
  lockedUntil: Type.Union([Instant, Type.Null()]),
  maxOpenCases: Type.Integer({ description: 'the router gives a specialist no more open cases than this' }),
});
export type User = Static<typeof User>;

const MaxOpenCases = Type.Integer({
  minimum: 1,
  maximum: 1000,
  description: 'the most open cases (assigned, in review, preliminary) the router gives this specialist',
});

const Username = Type.String({ minLength: 3, maxLength: 64, pattern: '^[a-z0-9][a-z0-9._-]*$' });
const Password = Type.String({ minLength: 8, maxLength: 256, description: 'at least 8 characters' });

export const UserCreate = Type.Object(
  {
    username: Username,
    displayName: Text(100),
    password: Password,
    role: Role,
    hospitalId: Type.Optional(Uuid),
    departmentId: Type.Optional(Uuid),
    subspecialties: Type.Optional(Type.Array(Subspecialty, { maxItems: 10, uniqueItems: true })),
    isDepartmentHead: Type.Optional(Type.Boolean()),
    maxOpenCases: Type.Optional(MaxOpenCases),
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;

export const UserUpdate = Type.Object(
  {
    displayName: Type.Optional(Text(100)),
    password: Type.Optional(Password),
    departmentId: Type.Optional(Uuid),
    subspecialties: Type.Optional(Type.Array(Subspecialty, { maxItems: 10, uniqueItems: true })),
    isDepartmentHead: Type.Optional(Type.Boolean()),
    maxOpenCases: Type.Optional(MaxOpenCases),
    active: Type.Optional(Type.Boolean()),
    unlock: Type.Optional(Type.Literal(true, { description: 'clear a lockout after failed logins' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UserUpdate = Static<typeof UserUpdate>;

export const Modality = Type.String({
  minLength: 2,
  maxLength: 16,
  pattern: '^[A-Z0-9]+$',
  description: 'DICOM modality code: CT, MR, CR, DX, US, MG, XA, NM, PT...',
});

export const RosterEntry = Type.Object({
  id: Uuid,
  userId: Uuid,
  departmentId: Uuid,
  startsAt: Instant,
  endsAt: Instant,
  modalities: Type.Array(Type.String()),
  note: Type.String(),
});
export type RosterEntry = Static<typeof RosterEntry>;

export const RosterEntryCreate = Type.Object(
  {
    userId: Uuid,
    departmentId: Uuid,
    startsAt: Instant,
    endsAt: Instant,
    modalities: Type.Optional(
      Type.Array(Modality, { maxItems: 20, uniqueItems: true, description: 'empty: all' }),
    ),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type RosterEntryCreate = Static<typeof RosterEntryCreate>;

export const RosterQuery = Type.Object(
  {
    at: Type.Optional(Instant),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    departmentId: Type.Optional(Uuid),
    userId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type RosterQuery = Static<typeof RosterQuery>;
