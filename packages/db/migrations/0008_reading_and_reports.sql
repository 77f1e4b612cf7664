-- Reporting that closes the loop: report templates, addenda with their reasons, second opinions, image-quality
-- feedback to the technician (带教), and critical findings the county side must acknowledge, with escalation.

-- Skeletons of findings and impression per modality and body part, as the city hospitals write them.
CREATE TABLE report_templates (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  modality    text NOT NULL CHECK (modality ~ '^[A-Z0-9]{2,16}$'),
  body_part   text NOT NULL CHECK (body_part ~ '^[A-Z0-9_]{1,64}$'),
  name        text NOT NULL,
  findings    text NOT NULL,
  impression  text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  created_by  uuid REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (modality, body_part, name)
);
CREATE INDEX report_templates_exam_idx ON report_templates (modality, body_part) WHERE active;

INSERT INTO report_templates (modality, body_part, name, findings, impression) VALUES
('CT', 'HEAD', '颅脑 CT 平扫',
 E'颅骨骨质完整，未见骨折征象。\n脑实质内未见异常密度影，灰白质分界清楚。\n脑室系统大小、形态未见异常，脑沟、脑裂、脑池未见增宽，中线结构居中。\n小脑、脑干未见异常。\n鼻窦及乳突气房含气良好。',
 E'颅脑 CT 平扫未见明显异常。'),
('CT', 'CHEST', '胸部 CT 平扫',
 E'胸廓对称，气管、主支气管通畅。\n双肺纹理清晰，双肺野内未见异常密度影及结节影。\n纵隔居中，纵隔内未见肿大淋巴结。\n心脏大小形态未见异常，大血管未见异常。\n双侧胸膜未见增厚，胸腔内未见积液。\n所见骨质未见异常。',
 E'胸部 CT 平扫未见明显异常。'),
('CT', 'ABDOMEN', '上腹部 CT 平扫',
 E'肝脏大小、形态正常，各叶比例协调，肝实质密度均匀，未见异常密度灶；肝内外胆管未见扩张。\n胆囊不大，壁不厚，腔内未见异常密度影。\n胰腺大小、形态及密度未见异常，胰管未见扩张。\n脾脏不大，密度均匀。\n双肾形态、大小及密度未见异常，肾盂肾盏未见扩张。\n腹膜后未见肿大淋巴结，腹腔内未见积液。',
 E'上腹部 CT 平扫未见明显异常。'),
('DX', 'CHEST', 'DR 胸部正位',
 E'胸廓对称，气管居中。\n双肺纹理清晰，走行自然，双肺野内未见异常密度影。\n双肺门不大，结构清楚。\n心影大小、形态未见异常。\n双侧膈面光整，肋膈角锐利。\n所见骨质未见异常。',
 E'心、肺、膈未见明显异常。'),
('MR', 'HEAD', '颅脑 MR 平扫',
 E'脑实质内未见异常信号影，灰白质分界清楚。\nDWI 未见弥散受限高信号。\n脑室系统大小、形态未见异常，脑沟、脑裂、脑池未见增宽，中线结构居中。\n小脑、脑干未见异常信号。\n垂体大小、信号未见异常。\n颅内主要血管流空信号存在。',
 E'颅脑 MR 平扫未见明显异常。'),
('US', 'ABDOMEN', '腹部超声（肝胆胰脾）',
 E'肝脏：形态大小正常，包膜光滑，实质回声均匀，肝内管道结构清晰，门静脉内径正常。\n胆囊：大小正常，壁光滑，腔内未见异常回声；肝内外胆管未见扩张。\n胰腺：形态大小正常，实质回声均匀，胰管未见扩张。\n脾脏：形态大小正常，实质回声均匀。\nCDFI：未见异常血流信号。',
 E'肝、胆、胰、脾超声检查未见明显异常。');

-- A report version is written once: an addendum says why it was added, and no version is changed or removed.
ALTER TABLE case_reports ADD COLUMN reason text NOT NULL DEFAULT '';

CREATE FUNCTION case_reports_written_once() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'report version % of case % is locked: add an addendum instead', OLD.version, OLD.case_id
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER case_reports_locked BEFORE UPDATE OR DELETE ON case_reports
  FOR EACH ROW EXECUTE FUNCTION case_reports_written_once();

-- The assigned specialist asks another specialist for a second opinion; one open request per case at a time.
CREATE TABLE second_opinions (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id         uuid NOT NULL REFERENCES cases (id),
  requested_by    uuid NOT NULL REFERENCES users (id),
  specialist_id   uuid NOT NULL REFERENCES users (id),
  question        text NOT NULL,
  opinion         text,
  requested_at    timestamptz NOT NULL DEFAULT now(),
  answered_at     timestamptz,
  withdrawn_at    timestamptz,
  CHECK (requested_by <> specialist_id),
  CHECK ((opinion IS NULL) = (answered_at IS NULL)),
  CHECK (answered_at IS NULL OR withdrawn_at IS NULL)
);
CREATE UNIQUE INDEX second_opinions_one_open_idx ON second_opinions (case_id)
  WHERE answered_at IS NULL AND withdrawn_at IS NULL;
CREATE INDEX second_opinions_specialist_idx ON second_opinions (specialist_id, case_id);
CREATE INDEX second_opinions_case_idx ON second_opinions (case_id, requested_at);

-- 带教 feedback: a reader rates the images the technician sent, once per case (rating again replaces it).
CREATE TABLE image_quality_ratings (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id         uuid NOT NULL REFERENCES cases (id),
  technician_id   uuid NOT NULL REFERENCES users (id),
  hospital_id     uuid NOT NULL REFERENCES hospitals (id),
  rated_by        uuid NOT NULL REFERENCES users (id),
  score           smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  -- what was wrong: positioning, exposure, motion, artefact, protocol
  categories      text[] NOT NULL DEFAULT '{}',
  comment         text NOT NULL DEFAULT '',
  rated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, rated_by)
);
CREATE INDEX image_quality_ratings_technician_idx ON image_quality_ratings (hospital_id, technician_id, rated_at DESC);

-- How long the requesting department has to acknowledge a critical finding before its head, then the
-- administrators, are told; agreed with each requesting hospital.
ALTER TABLE hospitals
  ADD COLUMN critical_head_minutes numeric(7, 2) NOT NULL DEFAULT 15 CHECK (critical_head_minutes > 0),
  ADD COLUMN critical_admin_minutes numeric(7, 2) NOT NULL DEFAULT 30,
  ADD CONSTRAINT hospitals_critical_minutes_check CHECK (critical_admin_minutes >= critical_head_minutes);

-- A critical finding of a report version, open until someone of the requesting side acknowledges it: who, when,
-- how. Each escalation stamps its stage, so it happens once; the due times drive the timers and the sweep.
CREATE TYPE critical_ack_method AS ENUM ('phone', 'in_app', 'in_person');
CREATE TABLE critical_findings (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id             uuid NOT NULL REFERENCES cases (id),
  report_version      integer NOT NULL,
  flagged_by          uuid NOT NULL REFERENCES users (id),
  flagged_at          timestamptz(3) NOT NULL DEFAULT date_trunc('milliseconds', now()),
  head_due_at         timestamptz(3) NOT NULL,
  admin_due_at        timestamptz(3) NOT NULL,
  head_escalated_at   timestamptz,
  admin_escalated_at  timestamptz,
  acknowledged_at     timestamptz,
  acknowledged_by     uuid REFERENCES users (id),
  ack_method          critical_ack_method,
  ack_note            text NOT NULL DEFAULT '',
  FOREIGN KEY (case_id, report_version) REFERENCES case_reports (case_id, version),
  CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL)),
  CHECK ((acknowledged_at IS NULL) = (ack_method IS NULL))
);
CREATE UNIQUE INDEX critical_findings_one_open_idx ON critical_findings (case_id) WHERE acknowledged_at IS NULL;
CREATE INDEX critical_findings_case_idx ON critical_findings (case_id, flagged_at);
CREATE INDEX critical_findings_due_idx ON critical_findings (head_due_at, admin_due_at) WHERE acknowledged_at IS NULL;
