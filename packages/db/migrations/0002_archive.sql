-- The DICOM archive index: studies, series and instances with their DICOM JSON, pointing at content-addressed blobs.

CREATE TABLE dicom_studies (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- the hospital that sent the study owns it; scoping follows the cases' rule
  hospital_id          uuid NOT NULL REFERENCES hospitals (id),
  study_instance_uid   text NOT NULL UNIQUE,
  patient_name         text NOT NULL DEFAULT '',
  patient_id           text NOT NULL DEFAULT '',
  patient_birth_date   text NOT NULL DEFAULT '',
  patient_sex          text NOT NULL DEFAULT '',
  study_date           text NOT NULL DEFAULT '',
  study_time           text NOT NULL DEFAULT '',
  accession_number     text NOT NULL DEFAULT '',
  study_id             text NOT NULL DEFAULT '',
  study_description    text NOT NULL DEFAULT '',
  referring_physician  text NOT NULL DEFAULT '',
  modalities           text[] NOT NULL DEFAULT '{}',
  series_count         integer NOT NULL DEFAULT 0,
  instance_count       integer NOT NULL DEFAULT 0,
  -- study-level attributes (patient and study modules) as DICOM JSON, from the first instance received
  attributes           jsonb NOT NULL DEFAULT '{}',
  case_id              uuid REFERENCES cases (id),
  last_instance_at     timestamptz NOT NULL DEFAULT now(),
  stable_at            timestamptz,
  -- set once the study-stable event is on the queue: a sweep re-sends events whose enqueue failed
  stable_queued_at     timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dicom_studies_hospital_idx ON dicom_studies (hospital_id, study_date DESC);
CREATE INDEX dicom_studies_accession_idx ON dicom_studies (hospital_id, accession_number) WHERE accession_number <> '';
CREATE INDEX dicom_studies_patient_id_idx ON dicom_studies (patient_id);
CREATE INDEX dicom_studies_unstable_idx ON dicom_studies (last_instance_at) WHERE stable_at IS NULL;
CREATE INDEX dicom_studies_unqueued_idx ON dicom_studies (stable_at) WHERE stable_at IS NOT NULL AND stable_queued_at IS NULL;

CREATE TABLE dicom_series (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  study_id             uuid NOT NULL REFERENCES dicom_studies (id),
  series_instance_uid  text NOT NULL UNIQUE,
  modality             text NOT NULL DEFAULT '',
  series_number        integer,
  series_description   text NOT NULL DEFAULT '',
  body_part            text NOT NULL DEFAULT '',
  instance_count       integer NOT NULL DEFAULT 0,
  attributes           jsonb NOT NULL DEFAULT '{}',
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dicom_series_study_idx ON dicom_series (study_id, series_number);

CREATE TABLE dicom_instances (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  series_id            uuid NOT NULL REFERENCES dicom_series (id),
  sop_instance_uid     text NOT NULL UNIQUE,
  sop_class_uid        text NOT NULL,
  instance_number      integer,
  transfer_syntax_uid  text NOT NULL,
  number_of_frames     integer NOT NULL DEFAULT 0,
  rows                 integer,
  columns              integer,
  -- SHA-256 of the Part 10 bytes: the blob's key, and how a resend is told apart from a change
  blob_key             text NOT NULL,
  size_bytes           bigint NOT NULL,
  -- each frame's { offset, length, fragments? } inside frames_blob_key's bytes
  frames               jsonb NOT NULL DEFAULT '[]',
  -- the blob frames point into: the file itself, or for a deflated file its inflated dataset
  frames_blob_key      text NOT NULL,
  -- the whole dataset as DICOM JSON with bulk data left as BulkDataURI, so metadata never rereads files
  metadata             jsonb NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dicom_instances_series_idx ON dicom_instances (series_id, instance_number);
CREATE INDEX dicom_instances_blob_idx ON dicom_instances (blob_key);
CREATE INDEX dicom_instances_frames_blob_idx ON dicom_instances (frames_blob_key) WHERE frames_blob_key <> blob_key;
