import { MEDIA_STORAGE_DIRECTORY, type HeaderSummary } from '@telemed/dicom';

/** One file the technician dropped, with its header if it is DICOM or why it is not. */
export interface ReadFile {
  /** the path inside the dropped folder, or the file's name */
  path: string;
  size: number;
  header: HeaderSummary | null;
  /** why the file is not sent (not DICOM, unreadable...); null for a readable DICOM file */
  problem: string | null;
}

/** One series of the upload. */
export interface PlannedSeries {
  seriesInstanceUid: string;
  seriesNumber: string;
  description: string;
  modality: string;
  bodyPart: string;
  /** the files to send, one per SOP Instance UID */
  files: ReadFile[];
  images: number;
  bytes: number;
}

/** One study of the upload, with its patient as the files name them. */
export interface PlannedStudy {
  studyInstanceUid: string;
  accessionNumber: string;
  studyDate: string;
  description: string;
  patientKey: string;
  series: PlannedSeries[];
}

/** One patient the files name: a key of ID and name, as the county PACS wrote them. */
export interface PlannedPatient {
  key: string;
  patientId: string;
  patientName: string;
  birthDate: string;
  sex: string;
}

/** What an upload would send, and what it leaves out and why. */
export interface UploadPlan {
  patients: PlannedPatient[];
  studies: PlannedStudy[];
  /** files that are not DICOM (or not readable), with the reason: never sent */
  skipped: ReadFile[];
  /** DICOMDIR index files: read past, never sent */
  indexes: ReadFile[];
  /** further copies of an instance already in the plan (same SOP Instance UID): sent once */
  duplicates: ReadFile[];
  /** the files name more than one patient: nothing is sent until the technician keeps one */
  mixedPatients: boolean;
  images: number;
  bytes: number;
}

const patientKeyOf = (h: HeaderSummary): string => `${h.patientId}\u0000${h.patientName}`;

const byNumber = (a: string, b: string): number =>
  (Number.parseInt(a, 10) || 0) - (Number.parseInt(b, 10) || 0) || a.localeCompare(b);

/**
 * Groups what was dropped into patients, studies and series, ready to show before anything is sent. Files that are
 * not DICOM are listed as skipped with their reason; a DICOMDIR is read past; a second copy of an instance is sent
 * once; files of more than one patient are flagged, since one case is one patient.
 */
export function planUpload(files: readonly ReadFile[]): UploadPlan {
  const patients = new Map<string, PlannedPatient>();
  const studies = new Map<string, PlannedStudy>();
  const seen = new Set<string>();
  const plan: UploadPlan = {
    patients: [],
    studies: [],
    skipped: [],
    indexes: [],
    duplicates: [],
    mixedPatients: false,
    images: 0,
    bytes: 0,
  };
  for (const file of files) {
    const h = file.header;
    if (!h || file.problem) {
      plan.skipped.push({ ...file, problem: file.problem ?? 'not DICOM' });
      continue;
    }
    if (h.sopClassUid === MEDIA_STORAGE_DIRECTORY) {
      plan.indexes.push(file);
      continue;
    }
    if (!h.sopInstanceUid || !h.studyInstanceUid || !h.seriesInstanceUid) {
      plan.skipped.push({ ...file, problem: 'the file names no study, series or instance UID' });
      continue;
    }
    if (seen.has(h.sopInstanceUid)) {
      plan.duplicates.push(file);
      continue;
    }
    seen.add(h.sopInstanceUid);
    const patientKey = patientKeyOf(h);
    if (!patients.has(patientKey)) {
      patients.set(patientKey, {
        key: patientKey,
        patientId: h.patientId,
        patientName: h.patientName,
        birthDate: h.patientBirthDate,
        sex: h.patientSex,
      });
    }
    let study = studies.get(h.studyInstanceUid);
    if (!study) {
      study = {
        studyInstanceUid: h.studyInstanceUid,
        accessionNumber: h.accessionNumber,
        studyDate: h.studyDate,
        description: h.studyDescription,
        patientKey,
        series: [],
      };
      studies.set(h.studyInstanceUid, study);
    }
    let series = study.series.find((s) => s.seriesInstanceUid === h.seriesInstanceUid);
    if (!series) {
      series = {
        seriesInstanceUid: h.seriesInstanceUid,
        seriesNumber: h.seriesNumber,
        description: h.seriesDescription,
        modality: h.modality,
        bodyPart: h.bodyPartExamined,
        files: [],
        images: 0,
        bytes: 0,
      };
      study.series.push(series);
    }
    series.files.push(file);
    series.images += h.numberOfFrames;
    series.bytes += file.size;
    plan.images += h.numberOfFrames;
    plan.bytes += file.size;
  }
  plan.patients = [...patients.values()];
  plan.mixedPatients = plan.patients.length > 1;
  plan.studies = [...studies.values()];
  for (const study of plan.studies) study.series.sort((a, b) => byNumber(a.seriesNumber, b.seriesNumber));
  return plan;
}

/** The plan narrowed to one patient's studies, when the technician keeps one of several. */
export function keepPatient(plan: UploadPlan, patientKey: string): UploadPlan {
  const studies = plan.studies.filter((s) => s.patientKey === patientKey);
  const series = studies.flatMap((s) => s.series);
  return {
    ...plan,
    patients: plan.patients.filter((p) => p.key === patientKey),
    studies,
    mixedPatients: false,
    images: series.reduce((n, s) => n + s.images, 0),
    bytes: series.reduce((n, s) => n + s.bytes, 0),
  };
}

/** A file of the plan in the order it is sent: study by study, series by series. */
export interface FileToSend {
  file: ReadFile;
  seriesInstanceUid: string;
}

/**
 * The files an upload sends, in order: nothing while the files name more than one patient (one case is one patient;
 * the technician keeps one first), never a skipped file, a DICOMDIR or a second copy.
 */
export function filesToSend(plan: UploadPlan): FileToSend[] {
  if (plan.mixedPatients) return [];
  return plan.studies.flatMap((study) =>
    study.series.flatMap((series) =>
      series.files.map((file) => ({ file, seriesInstanceUid: series.seriesInstanceUid })),
    ),
  );
}
