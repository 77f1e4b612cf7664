-- The outbox: follow-up work a use case causes (a routing round, an SLA timer, a notification's delivery), written
-- in the same transaction as the change that causes it. After commit the writer relays its rows to the queues; the
-- router's sweep relays whatever a crash left behind. Rows carry IDs only, never patient data.
CREATE TABLE outbox (
  id            bigserial PRIMARY KEY,
  queue         text NOT NULL,
  job_id        text NOT NULL,
  payload       jsonb NOT NULL,
  priority      integer,
  -- when the job is to run (a delayed job: the SLA timer); null: at once
  run_at        timestamptz,
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  relayed_at    timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE relayed_at IS NULL;

-- A patient's demographics as the county side corrected them: a case opened with a known MRN and another name, sex
-- or birth date updates the patient, and this keeps what it was, who changed it, when and through which case.
CREATE TABLE patient_changes (
  id            bigserial PRIMARY KEY,
  patient_id    uuid NOT NULL REFERENCES patients (id),
  case_id       uuid REFERENCES cases (id),
  changed_by    uuid REFERENCES users (id),
  changed_at    timestamptz NOT NULL DEFAULT now(),
  before        jsonb NOT NULL,
  after         jsonb NOT NULL
);
CREATE INDEX patient_changes_patient_idx ON patient_changes (patient_id, id);
