import { generateSeries, readHeaderSummary, type SeriesOptions } from '@telemed/dicom';
import { describe, expect, it } from 'vitest';
import { filesToSend, keepPatient, planUpload, type ReadFile } from './upload-planner';

/** The files of a generated series, read as the upload reads them: the header from each file's start. */
function series(options: Partial<SeriesOptions> & { slices: number }, folder: string): ReadFile[] {
  return [...generateSeries({ modality: 'CT', rows: 16, columns: 16, ...options })].map((bytes, i) => ({
    path: `${folder}/IM${String(i).padStart(4, '0')}`,
    size: bytes.length,
    header: readHeaderSummary(bytes.subarray(0, 64 * 1024)),
    problem: null,
  }));
}

const notDicom = (path: string): ReadFile => {
  const bytes = new TextEncoder().encode('检查申请单：头痛三天，排除脑出血。'.repeat(20));
  try {
    return { path, size: bytes.length, header: readHeaderSummary(bytes), problem: null };
  } catch (error) {
    return { path, size: bytes.length, header: null, problem: (error as Error).message };
  }
};

describe('the upload planner', () => {
  it('groups one patient’s files into their study and series, in series order, counting images and bytes', () => {
    const patient = { patientName: '艾力^买买提', patientId: 'XJ-1', seed: 7 };
    const axial = series({ ...patient, slices: 20, seriesNumber: 3, seriesDescription: 'AXIAL 5mm' }, 'CT/3');
    const scout = series({ ...patient, slices: 2, seriesNumber: 1, seriesDescription: 'SCOUT' }, 'CT/1');
    const plan = planUpload([...axial, ...scout]);
    expect(plan.mixedPatients).toBe(false);
    expect(plan.patients).toEqual([
      expect.objectContaining({ patientId: 'XJ-1', patientName: '艾力^买买提' }),
    ]);
    expect(plan.studies).toHaveLength(1);
    expect(plan.studies[0]?.series.map((s) => [s.seriesNumber, s.description, s.images])).toEqual([
      ['1', 'SCOUT', 2],
      ['3', 'AXIAL 5mm', 20],
    ]);
    expect(plan.images).toBe(22);
    expect(plan.bytes).toBe([...axial, ...scout].reduce((n, f) => n + f.size, 0));
    expect(plan.skipped).toEqual([]);
  });

  it('lists files that are not DICOM with the reason, and never sends them', () => {
    const files = [...series({ slices: 3, seed: 2 }, 'CT'), notDicom('CT/申请单.txt')];
    const plan = planUpload(files);
    expect(plan.images).toBe(3);
    expect(plan.skipped.map((f) => f.path)).toEqual(['CT/申请单.txt']);
    expect(plan.skipped[0]?.problem).toMatch(/not a DICOM Part 10 file/);
    expect(plan.studies.flatMap((s) => s.series.flatMap((x) => x.files)).map((f) => f.path)).not.toContain(
      'CT/申请单.txt',
    );
  });

  it('flags files of two patients, and keeps one when the technician chooses', () => {
    const first = series({ slices: 4, seed: 3, patientId: 'QC-1', patientName: '张三' }, 'A');
    const second = series({ slices: 5, seed: 4, patientId: 'QC-2', patientName: '李四' }, 'B');
    const plan = planUpload([...first, ...second]);
    expect(plan.mixedPatients).toBe(true);
    expect(plan.patients.map((p) => p.patientName)).toEqual(['张三', '李四']);
    const kept = keepPatient(plan, plan.patients[1]?.key ?? '');
    expect(kept.mixedPatients).toBe(false);
    expect(kept.images).toBe(5);
    expect(kept.studies.map((s) => s.patientKey)).toEqual([plan.patients[1]?.key]);
  });

  it('sends a file dropped twice once, and reads past a DICOMDIR', () => {
    const files = series({ slices: 3, seed: 5 }, 'CT');
    const again = files.map((f) => ({ ...f, path: `copy/${f.path}` }));
    const dicomdir: ReadFile = {
      path: 'DICOMDIR',
      size: 2048,
      header: {
        ...(files[0]?.header as NonNullable<ReadFile['header']>),
        sopClassUid: '1.2.840.10008.1.3.10',
      },
      problem: null,
    };
    const plan = planUpload([dicomdir, ...files, ...again]);
    expect(plan.images).toBe(3);
    expect(plan.duplicates).toHaveLength(3);
    expect(plan.indexes.map((f) => f.path)).toEqual(['DICOMDIR']);
  });

  it('sends each series in order, and nothing at all until one of several patients is kept', () => {
    const a = series({ slices: 2, seed: 8, patientId: 'P-1', patientName: '王五', seriesNumber: 2 }, 'A');
    const b = series({ slices: 3, seed: 9, patientId: 'P-2', patientName: 'ئابلىمىت', seriesNumber: 1 }, 'B');
    const mixed = planUpload([...a, ...b, notDicom('B/readme.txt')]);
    expect(filesToSend(mixed)).toEqual([]);
    const kept = keepPatient(mixed, mixed.patients[1]?.key ?? '');
    const sent = filesToSend(kept);
    expect(sent.map((f) => f.file.path)).toEqual(b.map((f) => f.path));
    expect(new Set(sent.map((f) => f.seriesInstanceUid))).toEqual(
      new Set([kept.studies[0]?.series[0]?.seriesInstanceUid]),
    );
    expect(kept.studies[0]?.series[0]?.bodyPart).toBe(b[0]?.header?.bodyPartExamined);
  });
});
