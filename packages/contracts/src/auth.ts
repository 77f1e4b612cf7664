import { Type, type Static } from '@sinclair/typebox';
import { Instant, Uuid } from './common.js';
import { Role } from './people.js';

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type RefreshBody = Static<typeof RefreshBody>;

/** The signed-in user as the app shows them. */
export const Me = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  hospitalId: Type.Union([Uuid, Type.Null()]),
  hospitalName: Type.Union([Type.String(), Type.Null()]),
  departmentId: Type.Union([Uuid, Type.Null()]),
  departmentName: Type.Union([Type.String(), Type.Null()]),
  subspecialties: Type.Array(Type.String()),
  sessionId: Uuid,
});
export type Me = Static<typeof Me>;

export const TokenPair = Type.Object({
  tokenType: Type.Literal('Bearer'),
  accessToken: Type.String(),
  expiresIn: Type.Integer({ description: 'seconds the access token is valid' }),
  refreshToken: Type.String({ description: 'single use; each refresh returns a new one' }),
  sessionExpiresAt: Instant,
  user: Me,
});
export type TokenPair = Static<typeof TokenPair>;

/** Claims of the access JWT. */
export interface AccessClaims {
  sub: string;
  sid: string;
  role: Role;
}
