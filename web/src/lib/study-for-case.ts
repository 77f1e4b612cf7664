/**
 * A study handed from the upload screen (or its list of studies received) to the new-case form, as router state: the
 * patient and the study as the files name them, for the form to fill in.
 */
export interface StudyForCase {
  patientName: string;
  patientId: string;
  patientSex: string;
  patientBirthDate: string;
  modality: string;
  bodyPart: string;
  studyInstanceUid: string;
  accessionNumber: string;
  images: number;
}
