/** Every error code the platform answers with, and its HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  session_expired: 401,
  forbidden: 403,
  not_found: 404,
  not_acceptable: 406,
  conflict: 409,
  illegal_transition: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  account_locked: 423,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * The particular refusals a person meets, each by a stable code of its own (a problem's `reason`) and the error code
 * it answers under. A client puts a refusal into its user's language by this code and the problem's `params`; the
 * `detail` stays the api's English for clients that do not. A refusal not listed here answers with its error code
 * alone.
 */
export const REFUSALS = {
  wrong_password: 'invalid_credentials',
  account_deactivated: 'invalid_credentials',
  /** params: until (ISO time) */
  locked_until: 'account_locked',
  /** params: seconds */
  too_many_requests: 'rate_limited',
  sign_in_first: 'unauthenticated',
  token_expired: 'unauthenticated',
  session_ended: 'session_expired',
  refresh_token_reused: 'session_expired',
  /** params: allow (the case relations that may) */
  case_not_permitted: 'forbidden',
  /** params: allow (the roles that may) */
  role_not_permitted: 'forbidden',
  county_staff_only: 'forbidden',
  hand_within_partners: 'forbidden',
  own_technicians_only: 'forbidden',
  case_not_found: 'not_found',
  no_report_yet: 'not_found',
  /** params: action, state, allowed (states) */
  not_in_this_state: 'illegal_transition',
  final_report_locked: 'illegal_transition',
  /** params: state, allowed (states) */
  second_opinion_not_now: 'illegal_transition',
  /** params: state, allowed (states) */
  rating_not_now: 'illegal_transition',
  no_partner_department: 'conflict',
  /** params: specialist */
  second_opinion_open: 'conflict',
  no_open_second_opinion: 'conflict',
  no_critical_to_acknowledge: 'conflict',
  /** params: version */
  measurements_changed: 'conflict',
  study_already_linked: 'conflict',
  annotation_ids_repeat: 'bad_request',
  /** params: username */
  username_taken: 'conflict',
  /** params: code */
  hospital_code_taken: 'conflict',
  /** params: code */
  department_code_taken: 'conflict',
  already_partners: 'conflict',
  /** params: name */
  template_name_taken: 'conflict',
  /** params: startsAt, endsAt */
  shift_overlaps: 'conflict',
} as const satisfies Record<string, ErrorCode>;

export type Refusal = keyof typeof REFUSALS;

/**
 * Why a field is refused, by a stable code a client translates, with `params` where the message needs values: the
 * schema's own checks first, then the rules of the domain.
 */
export const FIELD_REFUSALS = [
  'required',
  'unknown_field',
  /** params: choices */
  'one_of',
  /** params: type */
  'wrong_type',
  /** params: limit */
  'too_short',
  /** params: limit */
  'too_long',
  /** params: limit */
  'too_small',
  /** params: limit */
  'too_large',
  /** params: limit */
  'too_few',
  /** params: limit */
  'too_many',
  /** params: format */
  'bad_format',
  'bad_pattern',
  'invalid',
  'active_specialist',
  'specialist_in_circle',
  'own_hospital_department',
  'specialists_department',
  /** params: other (the field it must come after) */
  'later_than',
  /** params: other (the field it must be at least) */
  'at_least',
  'addendum_reason',
  'reason_only_for_addendum',
  /** params: role */
  'needs_hospital',
  /** params: role */
  'needs_department',
  'no_such_department',
  'no_such_hospital',
  'department_of_other_hospital',
  'technician_in_county',
  'specialist_in_city',
  'county_department',
  'city_department',
  'time_window_both_ends',
  'time_zone',
] as const;

export type FieldRefusal = (typeof FIELD_REFUSALS)[number];

/** The values a refusal's message names, for a client to say it in its own words. */
export type ProblemParams = Record<string, string | number | string[]>;

/** One field at fault in a request, and what to change. */
export interface FieldError {
  field: string;
  message: string;
  reason?: FieldRefusal;
  params?: ProblemParams;
}

/** The one application error: a code that maps to an HTTP status and a message a user can act on. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** the particular refusal, when it is one a client translates */
  readonly reason: Refusal | undefined;
  readonly params: ProblemParams | undefined;
  readonly errors: FieldError[] | undefined;

  /** `code` is an error code, or a particular refusal that names its own. */
  constructor(
    code: ErrorCode | Refusal,
    message: string,
    details: { errors?: FieldError[]; params?: ProblemParams } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.reason = code in REFUSALS ? (code as Refusal) : undefined;
    this.code = this.reason ? REFUSALS[this.reason] : (code as ErrorCode);
    this.status = ERROR_STATUS[this.code];
    this.errors = details.errors;
    this.params = details.params;
  }
}

/** True when `error` is an AppError with the given code. */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
