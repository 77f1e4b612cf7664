import { Type, type Static } from '@sinclair/typebox';
import { Instant, Text, Uuid } from './common.js';
import { Urgency } from './case-states.js';
import { Modality, Subspecialty } from './people.js';

const Minute = Type.Integer({
  minimum: 0,
  maximum: 1439,
  description:
    "minute of the day in the requesting (county) hospital's time zone: a window follows the working day of the " +
    'hospital the case comes from (Xinjiang time for a county on Asia/Urumqi); from > to runs past midnight',
});
const BodyPart = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Z0-9_ ]+$',
  description: 'DICOM body part, upper case',
});

/** A routing rule: conditions on a case, and where and to whom it goes. Tried in priority order. */
export const RoutingRule = Type.Object({
  id: Uuid,
  name: Type.String(),
  priority: Type.Integer(),
  active: Type.Boolean(),
  requestingHospitalId: Type.Union([Uuid, Type.Null()]),
  requestingDepartmentId: Type.Union([Uuid, Type.Null()]),
  modalities: Type.Array(Type.String()),
  bodyParts: Type.Array(Type.String()),
  urgencies: Type.Array(Urgency),
  fromMinute: Type.Union([Minute, Type.Null()]),
  toMinute: Type.Union([Minute, Type.Null()]),
  targetDepartmentId: Type.Union([Uuid, Type.Null()], {
    description: "null: the case's partnered city department",
  }),
  subspecialty: Type.Union([Type.String(), Type.Null()], {
    description: 'null: any specialist of the department',
  }),
  updatedAt: Instant,
});
export type RoutingRule = Static<typeof RoutingRule>;

const ruleFields = {
  name: Text(200),
  priority: Type.Integer({ minimum: 0, maximum: 100_000, description: 'lower is tried first' }),
  active: Type.Boolean(),
  requestingHospitalId: Type.Union([Uuid, Type.Null()]),
  requestingDepartmentId: Type.Union([Uuid, Type.Null()]),
  modalities: Type.Array(Modality, { maxItems: 20, uniqueItems: true }),
  bodyParts: Type.Array(BodyPart, { maxItems: 50, uniqueItems: true }),
  urgencies: Type.Array(Urgency, { maxItems: 3, uniqueItems: true }),
  fromMinute: Type.Union([Minute, Type.Null()]),
  toMinute: Type.Union([Minute, Type.Null()]),
  targetDepartmentId: Type.Union([Uuid, Type.Null()]),
  subspecialty: Type.Union([Subspecialty, Type.Null()]),
};

export const RoutingRuleCreate = Type.Object(
  {
    name: ruleFields.name,
    priority: Type.Optional(ruleFields.priority),
    active: Type.Optional(ruleFields.active),
    requestingHospitalId: Type.Optional(ruleFields.requestingHospitalId),
    requestingDepartmentId: Type.Optional(ruleFields.requestingDepartmentId),
    modalities: Type.Optional(ruleFields.modalities),
    bodyParts: Type.Optional(ruleFields.bodyParts),
    urgencies: Type.Optional(ruleFields.urgencies),
    fromMinute: Type.Optional(ruleFields.fromMinute),
    toMinute: Type.Optional(ruleFields.toMinute),
    targetDepartmentId: Type.Optional(ruleFields.targetDepartmentId),
    subspecialty: Type.Optional(ruleFields.subspecialty),
  },
  { additionalProperties: false },
);
export type RoutingRuleCreate = Static<typeof RoutingRuleCreate>;

export const RoutingRuleUpdate = Type.Partial(Type.Object(ruleFields), {
  additionalProperties: false,
  minProperties: 1,
});
export type RoutingRuleUpdate = Static<typeof RoutingRuleUpdate>;

/** A specialist who could take a case at the moment of a decision, and the open work they held. */
export const RoutingCandidate = Type.Object({
  userId: Uuid,
  username: Type.String(),
  load: Type.Integer({ description: 'open cases weighted by urgency: stat 3, urgent 2, routine 1' }),
  openCases: Type.Integer(),
  cap: Type.Integer(),
});
export type RoutingCandidate = Static<typeof RoutingCandidate>;

/** Why a case went to whom (or why it waits in the pool): kept on the case so anyone can see the reasoning. */
export const RoutingDecision = Type.Object({
  outcome: Type.Union([Type.Literal('assigned'), Type.Literal('pool')], {
    description: 'pool: nobody eligible was on duty; the case waits for a claim or the next attempt',
  }),
  ruleId: Type.Union([Uuid, Type.Null()]),
  ruleName: Type.String(),
  departmentId: Type.Union([Uuid, Type.Null()]),
  specialistId: Type.Union([Uuid, Type.Null()]),
  reason: Type.String(),
  tried: Type.Array(Type.Object({ departmentId: Uuid, candidates: Type.Array(RoutingCandidate) }), {
    description: 'departments tried in order, with the candidates each offered',
  }),
  excluded: Type.Array(Uuid, {
    description: 'specialists left out: they held the case before, or filled their last place meanwhile',
  }),
  decidedAt: Instant,
});
export type RoutingDecision = Static<typeof RoutingDecision>;
