-- The worklist puts each case beside the same patient's other cases: found by patient, newest first.
CREATE INDEX cases_patient_created_idx ON cases (patient_id, created_at DESC);
