-- Routing: rules as data, a per-specialist cap, and the decision kept on the case.

ALTER TABLE users ADD COLUMN max_open_cases integer NOT NULL DEFAULT 20 CHECK (max_open_cases > 0);

CREATE TABLE routing_rules (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                     text NOT NULL,
  -- lower is tried first
  priority                 integer NOT NULL DEFAULT 100,
  active                   boolean NOT NULL DEFAULT true,
  -- conditions: NULL or an empty list matches anything
  requesting_hospital_id   uuid REFERENCES hospitals (id),
  requesting_department_id uuid REFERENCES departments (id),
  modalities               text[] NOT NULL DEFAULT '{}',
  body_parts               text[] NOT NULL DEFAULT '{}',
  urgencies                case_urgency[] NOT NULL DEFAULT '{}',
  -- minutes of the day in hospital time (UTC+8); a window may run past midnight (from > to)
  from_minute              integer CHECK (from_minute BETWEEN 0 AND 1439),
  to_minute                integer CHECK (to_minute BETWEEN 0 AND 1439),
  -- where to send: NULL means the case's partnered city department
  target_department_id     uuid REFERENCES departments (id),
  -- who may read it: NULL means any specialist of the department
  subspecialty             text,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CHECK ((from_minute IS NULL) = (to_minute IS NULL))
);
CREATE INDEX routing_rules_priority_idx ON routing_rules (priority, created_at) WHERE active;

-- which rule matched, which departments were tried, and why this specialist
ALTER TABLE cases ADD COLUMN routing_decision jsonb;
