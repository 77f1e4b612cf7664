-- The measurements and marks a specialist leaves on a case's images, one document per case. `version` counts the
-- saves, so a save made from an older copy (a second tab, a second reader) is refused rather than lost.
CREATE TABLE case_annotations (
  case_id     uuid PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
  version     integer NOT NULL CHECK (version > 0),
  annotations jsonb NOT NULL,
  updated_by  uuid NOT NULL REFERENCES users (id),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
