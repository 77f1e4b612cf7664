/**
 * Which attributes belong to which level, for QIDO answers and the index (PS3.18 Tables 6.7.1-2, -2a, -2b, and the
 * patient and study modules). Tags are 8 upper-hex digits.
 */
export const STUDY_TAGS = [
  '00080005', // SpecificCharacterSet
  '00080020', // StudyDate
  '00080030', // StudyTime
  '00080050', // AccessionNumber
  '00080090', // ReferringPhysicianName
  '00081030', // StudyDescription
  '00100010', // PatientName
  '00100020', // PatientID
  '00100021', // IssuerOfPatientID
  '00100030', // PatientBirthDate
  '00100040', // PatientSex
  '00101010', // PatientAge
  '0020000D', // StudyInstanceUID
  '00200010', // StudyID
] as const;

export const SERIES_TAGS = [
  '00080005', // SpecificCharacterSet
  '00080060', // Modality
  '0008103E', // SeriesDescription
  '00180015', // BodyPartExamined
  '0020000E', // SeriesInstanceUID
  '00200011', // SeriesNumber
  '00400244', // PerformedProcedureStepStartDate
  '00400245', // PerformedProcedureStepStartTime
] as const;

export const INSTANCE_TAGS = [
  '00080016', // SOPClassUID
  '00080018', // SOPInstanceUID
  '00200013', // InstanceNumber
  '00280008', // NumberOfFrames
  '00280010', // Rows
  '00280011', // Columns
  '00280100', // BitsAllocated
] as const;

/** DICOM keywords QIDO accepts as matching keys or includefield values, by tag. */
export const KEYWORDS: Record<string, string> = {
  SpecificCharacterSet: '00080005',
  StudyDate: '00080020',
  StudyTime: '00080030',
  AccessionNumber: '00080050',
  ModalitiesInStudy: '00080061',
  ReferringPhysicianName: '00080090',
  StudyDescription: '00081030',
  PatientName: '00100010',
  PatientID: '00100020',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  StudyInstanceUID: '0020000D',
  StudyID: '00200010',
  NumberOfStudyRelatedSeries: '00201206',
  NumberOfStudyRelatedInstances: '00201208',
  Modality: '00080060',
  SeriesDescription: '0008103E',
  BodyPartExamined: '00180015',
  SeriesInstanceUID: '0020000E',
  SeriesNumber: '00200011',
  NumberOfSeriesRelatedInstances: '00201209',
  SOPClassUID: '00080016',
  SOPInstanceUID: '00080018',
  InstanceNumber: '00200013',
  NumberOfFrames: '00280008',
  Rows: '00280010',
  Columns: '00280011',
  BitsAllocated: '00280100',
  RetrieveURL: '00081190',
  InstanceAvailability: '00080056',
  TimezoneOffsetFromUTC: '00080201',
};

/** The tag a QIDO parameter names, by keyword or as 8 hex digits; null when it names neither. */
export function tagOf(name: string): string | null {
  if (/^[0-9A-Fa-f]{8}$/.test(name)) return name.toUpperCase();
  return KEYWORDS[name] ?? null;
}
