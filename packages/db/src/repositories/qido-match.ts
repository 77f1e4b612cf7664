// How QIDO-RS match conditions become SQL on the index tables (dicom_studies s, dicom_series se, dicom_instances i).

/** One QIDO match condition on a whitelisted column. */
export type MatchCondition =
  | { column: string; op: 'equals'; value: string }
  | { column: string; op: 'wildcard'; value: string; caseInsensitive: boolean }
  | { column: string; op: 'range'; from: string | null; to: string | null }
  | { column: string; op: 'anyOf'; values: string[] }
  | { column: string; op: 'arrayHas'; value: string }
  | { column: string; op: 'intEquals'; value: number };

/** Columns QIDO may match on, per level; keys are what the api passes, values the SQL expression. */
const COLUMNS = {
  study: {
    StudyInstanceUID: 's.study_instance_uid',
    PatientName: 's.patient_name',
    PatientID: 's.patient_id',
    PatientBirthDate: 's.patient_birth_date',
    PatientSex: 's.patient_sex',
    StudyDate: 's.study_date',
    StudyTime: 's.study_time',
    AccessionNumber: 's.accession_number',
    StudyID: 's.study_id',
    StudyDescription: 's.study_description',
    ReferringPhysicianName: 's.referring_physician',
    ModalitiesInStudy: 's.modalities',
  },
  series: {
    SeriesInstanceUID: 'se.series_instance_uid',
    Modality: 'se.modality',
    SeriesNumber: 'se.series_number',
    SeriesDescription: 'se.series_description',
    BodyPartExamined: 'se.body_part',
  },
  instance: {
    SOPInstanceUID: 'i.sop_instance_uid',
    SOPClassUID: 'i.sop_class_uid',
    InstanceNumber: 'i.instance_number',
  },
} as const;

/** The matching keys the index can answer, by level. */
export const QIDO_KEYS = {
  study: Object.keys(COLUMNS.study),
  series: Object.keys(COLUMNS.series),
  instance: Object.keys(COLUMNS.instance),
};

function columnFor(key: string): string {
  for (const level of Object.values(COLUMNS)) {
    const col = (level as Record<string, string>)[key];
    if (col) return col;
  }
  // callers pass only keys of QIDO_KEYS
  throw new Error(`${key} is not a column of the index`);
}

function likePattern(value: string): string {
  return value
    .replace(/[\\%_]/g, (c) => `\\${c}`)
    .replaceAll('*', '%')
    .replaceAll('?', '_');
}

/** The SQL conditions for `conditions`, their values pushed onto `params`. */
export function whereFor(conditions: MatchCondition[], params: unknown[]): string[] {
  return conditions.map((c) => {
    const col = columnFor(c.column);
    switch (c.op) {
      case 'equals':
        params.push(c.value);
        return `${col} = $${params.length}`;
      case 'wildcard':
        params.push(likePattern(c.value));
        // a person name matches when any of its groups (alphabetic=ideographic=phonetic) does
        return c.caseInsensitive
          ? `EXISTS (SELECT 1 FROM unnest(string_to_array(${col}, '=')) g WHERE g ILIKE $${params.length})`
          : `${col} LIKE $${params.length}`;
      case 'range': {
        const parts: string[] = [];
        if (c.from !== null) {
          params.push(c.from);
          parts.push(`${col} >= $${params.length}`);
        }
        if (c.to !== null) {
          params.push(c.to);
          parts.push(`${col} <= $${params.length}`);
        }
        // an empty value never matches a range
        parts.push(`${col} <> ''`);
        return `(${parts.join(' AND ')})`;
      }
      case 'anyOf':
        params.push(c.values);
        return `${col} = ANY($${params.length}::text[])`;
      case 'arrayHas':
        params.push(c.value);
        return `$${params.length} = ANY(${col})`;
      case 'intEquals':
        params.push(c.value);
        return `${col} = $${params.length}`;
    }
  });
}
