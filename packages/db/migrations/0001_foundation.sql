-- Foundation: hospitals and people, the duty roster, patients, cases with their history, sessions and audit.

CREATE TYPE hospital_kind AS ENUM ('county', 'city');
CREATE TYPE user_role AS ENUM ('technician', 'specialist', 'admin');
CREATE TYPE case_state AS ENUM ('draft', 'submitted', 'assigned', 'in_review', 'preliminary', 'final', 'cancelled');
CREATE TYPE case_urgency AS ENUM ('stat', 'urgent', 'routine');
CREATE TYPE patient_sex AS ENUM ('M', 'F', 'O');
CREATE TYPE report_kind AS ENUM ('preliminary', 'final', 'addendum');

CREATE TABLE hospitals (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  kind        hospital_kind NOT NULL,
  region      text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE departments (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hospital_id  uuid NOT NULL REFERENCES hospitals (id),
  code         text NOT NULL,
  name         text NOT NULL,
  specialty    text NOT NULL,
  active       boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hospital_id, code),
  -- lets the composite foreign keys below say "this department belongs to that hospital"
  UNIQUE (id, hospital_id)
);

-- 科室对科室: a county department sends its cases to a city department.
CREATE TABLE partnerships (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_department_id uuid NOT NULL REFERENCES departments (id),
  city_department_id   uuid NOT NULL REFERENCES departments (id),
  priority             integer NOT NULL DEFAULT 0,
  active               boolean NOT NULL DEFAULT true,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_department_id, city_department_id),
  CHECK (county_department_id <> city_department_id)
);

CREATE TABLE users (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username           text NOT NULL,
  display_name       text NOT NULL,
  password_hash      text NOT NULL,
  role               user_role NOT NULL,
  hospital_id        uuid REFERENCES hospitals (id),
  department_id      uuid,
  subspecialties     text[] NOT NULL DEFAULT '{}',
  is_department_head boolean NOT NULL DEFAULT false,
  active             boolean NOT NULL DEFAULT true,
  failed_logins      integer NOT NULL DEFAULT 0,
  locked_until       timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (department_id, hospital_id) REFERENCES departments (id, hospital_id),
  -- technicians and specialists work in one department of one hospital; platform admins may not
  CHECK (role = 'admin' OR (hospital_id IS NOT NULL AND department_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE INDEX users_department_idx ON users (department_id);

-- Who reads for which department, when, and what.
CREATE TABLE roster_entries (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid NOT NULL REFERENCES users (id),
  department_id  uuid NOT NULL REFERENCES departments (id),
  starts_at      timestamptz NOT NULL,
  ends_at        timestamptz NOT NULL,
  modalities     text[] NOT NULL DEFAULT '{}',
  note           text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at)
);
CREATE INDEX roster_entries_window_idx ON roster_entries (department_id, starts_at, ends_at);
CREATE INDEX roster_entries_user_idx ON roster_entries (user_id, starts_at);

CREATE TABLE patients (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hospital_id  uuid NOT NULL REFERENCES hospitals (id),
  mrn          text NOT NULL,
  name         text NOT NULL,
  sex          patient_sex NOT NULL,
  birth_date   date,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hospital_id, mrn),
  UNIQUE (id, hospital_id)
);

CREATE TABLE cases (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id               uuid NOT NULL,
  requesting_hospital_id   uuid NOT NULL REFERENCES hospitals (id),
  requesting_department_id uuid NOT NULL,
  target_department_id     uuid REFERENCES departments (id),
  assigned_specialist_id   uuid REFERENCES users (id),
  created_by               uuid NOT NULL REFERENCES users (id),
  state                    case_state NOT NULL DEFAULT 'draft',
  urgency                  case_urgency NOT NULL,
  clinical_question        text NOT NULL,
  clinical_history         text NOT NULL DEFAULT '',
  modality                 text,
  body_part                text,
  study_instance_uid       text,
  accession_number         text,
  -- millisecond precision so a keyset cursor carried through JavaScript compares exactly
  created_at               timestamptz(3) NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  submitted_at             timestamptz,
  assigned_at              timestamptz,
  review_started_at        timestamptz,
  preliminary_at           timestamptz,
  finalized_at             timestamptz,
  cancelled_at             timestamptz,
  FOREIGN KEY (patient_id, requesting_hospital_id) REFERENCES patients (id, hospital_id),
  FOREIGN KEY (requesting_department_id, requesting_hospital_id) REFERENCES departments (id, hospital_id)
);
CREATE INDEX cases_hospital_created_idx ON cases (requesting_hospital_id, created_at DESC, id DESC);
CREATE INDEX cases_target_created_idx ON cases (target_department_id, created_at DESC, id DESC);
CREATE INDEX cases_assignee_created_idx ON cases (assigned_specialist_id, created_at DESC, id DESC);
CREATE INDEX cases_created_idx ON cases (created_at DESC, id DESC);
CREATE INDEX cases_state_idx ON cases (state) WHERE state NOT IN ('final', 'cancelled');
CREATE INDEX cases_study_idx ON cases (study_instance_uid) WHERE study_instance_uid IS NOT NULL;
CREATE INDEX cases_accession_idx ON cases (requesting_hospital_id, accession_number) WHERE accession_number IS NOT NULL;

CREATE TABLE case_history (
  id          bigserial PRIMARY KEY,
  case_id     uuid NOT NULL REFERENCES cases (id),
  action      text NOT NULL,
  from_state  case_state,
  to_state    case_state NOT NULL,
  actor_id    uuid REFERENCES users (id),
  reason      text NOT NULL DEFAULT '',
  details     jsonb NOT NULL DEFAULT '{}',
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_history_case_idx ON case_history (case_id, id);

CREATE TABLE case_comments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id     uuid NOT NULL REFERENCES cases (id),
  author_id   uuid NOT NULL REFERENCES users (id),
  body        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_comments_case_idx ON case_comments (case_id, created_at);

CREATE TABLE case_reports (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id     uuid NOT NULL REFERENCES cases (id),
  version     integer NOT NULL,
  kind        report_kind NOT NULL,
  findings    text NOT NULL,
  impression  text NOT NULL,
  critical    boolean NOT NULL DEFAULT false,
  author_id   uuid NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, version)
);

-- A login: refresh tokens rotate inside it; reuse of a spent token revokes the whole session.
CREATE TABLE auth_sessions (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id             uuid NOT NULL REFERENCES users (id),
  created_at          timestamptz NOT NULL DEFAULT now(),
  last_seen_at        timestamptz NOT NULL DEFAULT now(),
  absolute_expires_at timestamptz NOT NULL,
  revoked_at          timestamptz,
  revoked_reason      text,
  ip                  text NOT NULL DEFAULT '',
  user_agent          text NOT NULL DEFAULT ''
);
CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE refresh_tokens (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id  uuid NOT NULL REFERENCES auth_sessions (id),
  token_hash  bytea NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  used_at     timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

CREATE TABLE audit_events (
  id             bigserial PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  actor_id       uuid,
  actor_username text NOT NULL DEFAULT '',
  actor_role     text NOT NULL DEFAULT '',
  action         text NOT NULL,
  resource_type  text NOT NULL,
  resource_id    text,
  hospital_id    uuid,
  outcome        text NOT NULL CHECK (outcome IN ('success', 'denied', 'not_found', 'invalid', 'conflict', 'error')),
  ip             text NOT NULL DEFAULT '',
  user_agent     text NOT NULL DEFAULT '',
  request_id     text NOT NULL DEFAULT '',
  details        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, at DESC);
CREATE INDEX audit_events_resource_idx ON audit_events (resource_type, resource_id, at DESC);
