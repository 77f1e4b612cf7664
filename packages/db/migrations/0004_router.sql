-- The router at work: when it next tries a case, the SLA clock of each assignment, and the notification outbox.

-- when the router should (next) try to assign a submitted case; NULL once assigned
ALTER TABLE cases ADD COLUMN routing_due_at timestamptz;
-- when the current assignment must have a report; escalation stamps it
ALTER TABLE cases ADD COLUMN sla_due_at timestamptz;
ALTER TABLE cases ADD COLUMN sla_escalated_at timestamptz;
CREATE INDEX cases_routing_due_idx ON cases (routing_due_at) WHERE state = 'submitted';
CREATE INDEX cases_sla_due_idx ON cases (sla_due_at) WHERE state IN ('assigned', 'in_review');
CREATE INDEX cases_assigned_specialist_idx ON cases (assigned_specialist_id) WHERE state IN ('assigned', 'in_review', 'preliminary');

-- time to a first report, by urgency, agreed with each requesting hospital
ALTER TABLE hospitals
  ADD COLUMN sla_stat_minutes integer NOT NULL DEFAULT 30 CHECK (sla_stat_minutes > 0),
  ADD COLUMN sla_urgent_minutes integer NOT NULL DEFAULT 120 CHECK (sla_urgent_minutes > 0),
  ADD COLUMN sla_routine_minutes integer NOT NULL DEFAULT 1440 CHECK (sla_routine_minutes > 0);

-- Written in the same transaction as the change it announces, so a notification survives any crash; the notify
-- queue delivers it over socket.io and stamps delivered_at, and the user's next login lists what is unread.
CREATE TABLE notifications (
  id            bigserial PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users (id),
  case_id       uuid REFERENCES cases (id),
  kind          text NOT NULL,
  -- a page: STAT work or an escalation, shown and sounded until acknowledged
  page          boolean NOT NULL DEFAULT false,
  title         text NOT NULL,
  body          text NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  delivered_at  timestamptz,
  read_at       timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_undelivered_idx ON notifications (id) WHERE delivered_at IS NULL;
