/**
 * Deterministic synthetic CT and MR series for development, demos and load tests: same options, byte-identical
 * files. Each slice is rendered and encoded when the consumer asks for it, so a 300-slice series never has to sit
 * in memory.
 */
import { renderSlice } from './phantom.js';
import { hash53 } from './random.js';
import { Tag } from './tags.js';
import { TransferSyntaxUid } from './transfer-syntax.js';
import type { PersonNameJson } from './types.js';
import { SopClassUid } from './sop-class.js';
import { UID_ROOT } from './uid.js';
import { writePart10 } from './writer.js';
import type { WritableDataset } from './writer.js';

/** Character sets the generator can write names and descriptions in. */
export type GeneratorCharset = 'ISO_IR 192' | 'GB18030' | 'ISO_IR 100';

/** What to generate; everything but modality and slices has a default derived from the seed. */
export interface SeriesOptions {
  modality: 'CT' | 'MR';
  slices: number;
  /** Default 512 for CT, 256 for MR. */
  rows?: number;
  columns?: number;
  /** Default 1. Different seeds give different UIDs, dates and noise. */
  seed?: number;
  /** PN string, groups separated by '='; default 张三 (ISO_IR 100: Zhang^San). */
  patientName?: string;
  patientId?: string;
  patientBirthDate?: string;
  patientSex?: 'M' | 'F' | 'O';
  /** Default GB18030. */
  charset?: GeneratorCharset;
  /**
   * Default derived from seed, modality and patient, so a CT and an MR are separate studies unless they are given the
   * same study UID (and should then share the study-level options too).
   */
  studyInstanceUid?: string;
  accessionNumber?: string;
  /** DA, default derived from the seed. */
  studyDate?: string;
  /** TM, default derived from the seed. */
  studyTime?: string;
  studyDescription?: string;
  seriesDescription?: string;
  seriesNumber?: number;
  institutionName?: string;
  /** Millimetres; default 1.25 for CT, 5 for MR. */
  sliceThickness?: number;
  /** Native transfer syntaxes only; default Explicit VR Little Endian. */
  transferSyntaxUid?: string;
}

/** The UIDs a series will carry, known before any slice is generated. */
export interface SeriesUids {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  sopInstanceUids: string[];
}

const SOP_CLASS = { CT: SopClassUid.CTImageStorage, MR: SopClassUid.MRImageStorage } as const;

/** Physical extent the slices spread over when there are few of them, so a short series still crosses the anatomy. */
const COVERAGE_MM = { CT: 350, MR: 160 } as const;
/** Half the height of the phantom in millimetres: normalised z = position / this. */
const HALF_HEIGHT_MM = { CT: 250, MR: 100 } as const;
const FIELD_OF_VIEW_MM = { CT: 350, MR: 240 } as const;

interface Resolved {
  modality: 'CT' | 'MR';
  slices: number;
  rows: number;
  columns: number;
  seed: number;
  charset: GeneratorCharset;
  patientName: string;
  patientId: string;
  patientBirthDate: string;
  patientSex: string;
  accessionNumber: string;
  studyDate: string;
  studyTime: string;
  studyDescription: string;
  seriesDescription: string;
  seriesNumber: number;
  institutionName: string;
  sliceThickness: number;
  transferSyntaxUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** A date derived from the seed (within 2024), so different seeds make different-looking studies. */
function dateFromSeed(seed: number): string {
  const day = new Date(Date.UTC(2024, 0, 1) + (seed % 366) * 86_400_000);
  return `${day.getUTCFullYear()}${pad(day.getUTCMonth() + 1, 2)}${pad(day.getUTCDate(), 2)}`;
}

function timeFromSeed(seed: number): string {
  const minutes = 8 * 60 + (seed % 600);
  return `${pad(Math.floor(minutes / 60), 2)}${pad(minutes % 60, 2)}00`;
}

function resolve(options: SeriesOptions): Resolved {
  const { modality } = options;
  if (!Number.isInteger(options.slices) || options.slices < 1) {
    throw new RangeError('slices must be a positive integer');
  }
  const seed = Math.abs(Math.trunc(options.seed ?? 1));
  const charset = options.charset ?? 'GB18030';
  const chinese = charset !== 'ISO_IR 100';
  const size = modality === 'CT' ? 512 : 256;
  const base = {
    modality,
    slices: options.slices,
    rows: options.rows ?? size,
    columns: options.columns ?? size,
    seed,
    charset,
    patientName: options.patientName ?? (chinese ? '张三' : 'Zhang^San'),
    patientId: options.patientId ?? `TM${pad(seed, 6)}`,
    patientBirthDate: options.patientBirthDate ?? `19${pad(40 + (seed % 50), 2)}0${1 + (seed % 9)}15`,
    patientSex: options.patientSex ?? 'M',
    accessionNumber: options.accessionNumber ?? `A${pad(seed, 8)}`,
    studyDate: options.studyDate ?? dateFromSeed(seed),
    studyTime: options.studyTime ?? timeFromSeed(seed),
    studyDescription:
      options.studyDescription ??
      (modality === 'CT' ? (chinese ? '胸腹部CT平扫' : 'CT Chest Abdomen') : chinese ? '头颅MR' : 'MR Head'),
    seriesDescription: options.seriesDescription ?? (modality === 'CT' ? 'Axial' : 'T1 SE Axial'),
    seriesNumber: options.seriesNumber ?? (modality === 'CT' ? 2 : 3),
    institutionName: options.institutionName ?? (chinese ? '县人民医院' : 'County Hospital'),
    sliceThickness: options.sliceThickness ?? (modality === 'CT' ? 1.25 : 5),
    transferSyntaxUid: options.transferSyntaxUid ?? TransferSyntaxUid.ExplicitVRLittleEndian,
  };
  const studyKey = hash53(
    JSON.stringify([seed, modality, base.patientId, base.accessionNumber, base.studyDate]),
  );
  const seriesKey = hash53(JSON.stringify([base, options.studyInstanceUid ?? null]));
  return {
    ...base,
    studyInstanceUid: options.studyInstanceUid ?? `${UID_ROOT}.2.${studyKey}`,
    seriesInstanceUid: `${UID_ROOT}.3.${seriesKey}`,
    frameOfReferenceUid: `${UID_ROOT}.5.${seriesKey}`,
  };
}

function instanceUid(series: Resolved, index: number): string {
  return `${series.seriesInstanceUid.replace(`${UID_ROOT}.3.`, `${UID_ROOT}.4.`)}.${index + 1}`;
}

/** The UIDs generateSeries will write for these options. */
export function seriesUids(options: SeriesOptions): SeriesUids {
  const series = resolve(options);
  return {
    studyInstanceUid: series.studyInstanceUid,
    seriesInstanceUid: series.seriesInstanceUid,
    frameOfReferenceUid: series.frameOfReferenceUid,
    sopInstanceUids: Array.from({ length: series.slices }, (_, i) => instanceUid(series, i)),
  };
}

interface SliceGeometry {
  pixelSpacing: number;
  spacing: number;
  /** Patient z of the slice centre, superior positive. */
  z: number;
  origin: [number, number];
}

function geometry(series: Resolved, index: number): SliceGeometry {
  const { modality, rows, columns, slices, sliceThickness } = series;
  const pixelSpacing = FIELD_OF_VIEW_MM[modality] / Math.max(rows, columns);
  const spacing = Math.max(sliceThickness, COVERAGE_MM[modality] / slices);
  const z = ((slices - 1) / 2 - index) * spacing;
  return { pixelSpacing, spacing, z, origin: [(-columns * pixelSpacing) / 2, (-rows * pixelSpacing) / 2] };
}

/** Stored pixel values of one slice, exactly as generateSeries writes them (for tests and previews). */
export function generateSlicePixels(options: SeriesOptions, index: number): Uint16Array {
  const series = resolve(options);
  return pixelsOf(series, index);
}

function pixelsOf(series: Resolved, index: number): Uint16Array {
  const { z } = geometry(series, index);
  return renderSlice({
    modality: series.modality,
    rows: series.rows,
    columns: series.columns,
    z: z / HALF_HEIGHT_MM[series.modality],
    seed: hash53(`${series.seriesInstanceUid}/${index}`),
  });
}

function littleEndianBytes(pixels: Uint16Array): Uint8Array {
  const bytes = new Uint8Array(pixels.length * 2);
  const view = new DataView(bytes.buffer);
  pixels.forEach((value, i) => {
    view.setUint16(i * 2, value, true);
  });
  return bytes;
}

function personName(value: string): PersonNameJson {
  const [alphabetic = '', ideographic = '', phonetic = ''] = value.split('=');
  return {
    ...(alphabetic ? { Alphabetic: alphabetic } : {}),
    ...(ideographic ? { Ideographic: ideographic } : {}),
    ...(phonetic ? { Phonetic: phonetic } : {}),
  };
}

const str = (vr: string, ...values: (string | number)[]): { vr: string; Value: (string | number)[] } => ({
  vr,
  Value: values,
});

function modalityAttributes(series: Resolved, slice: SliceGeometry): WritableDataset {
  if (series.modality === 'CT') {
    return {
      [Tag.KVP]: str('DS', 120),
      [Tag.ConvolutionKernel]: str('SH', 'STANDARD'),
      [Tag.RescaleIntercept]: str('DS', -1024),
      [Tag.RescaleSlope]: str('DS', 1),
      [Tag.RescaleType]: str('LO', 'HU'),
      [Tag.WindowCenter]: str('DS', 40, -600),
      [Tag.WindowWidth]: str('DS', 400, 1500),
      [Tag.WindowCenterWidthExplanation]: str('LO', 'SOFT TISSUE', 'LUNG'),
      [Tag.BodyPartExamined]: str('CS', 'CHESTABDOMEN'),
    };
  }
  return {
    [Tag.ScanningSequence]: str('CS', 'SE'),
    [Tag.SequenceVariant]: str('CS', 'NONE'),
    [Tag.ScanOptions]: { vr: 'CS' },
    [Tag.MRAcquisitionType]: str('CS', '2D'),
    [Tag.RepetitionTime]: str('DS', 500),
    [Tag.EchoTime]: str('DS', 15),
    [Tag.EchoTrainLength]: str('IS', 1),
    [Tag.EchoNumbers]: str('IS', 1),
    [Tag.NumberOfAverages]: str('DS', 1),
    [Tag.ImagingFrequency]: str('DS', 63.87),
    [Tag.ImagedNucleus]: str('SH', '1H'),
    [Tag.MagneticFieldStrength]: str('DS', 1.5),
    [Tag.FlipAngle]: str('DS', 90),
    [Tag.SpacingBetweenSlices]: str('DS', slice.spacing),
    [Tag.WindowCenter]: str('DS', 500),
    [Tag.WindowWidth]: str('DS', 1000),
    [Tag.BodyPartExamined]: str('CS', 'HEAD'),
  };
}

function sliceDataset(series: Resolved, index: number, pixels: Uint16Array): WritableDataset {
  const slice = geometry(series, index);
  const [x, y] = slice.origin;
  return {
    [Tag.SpecificCharacterSet]: str('CS', series.charset),
    [Tag.ImageType]: str('CS', 'ORIGINAL', 'PRIMARY', 'AXIAL'),
    [Tag.InstanceCreationDate]: str('DA', series.studyDate),
    [Tag.InstanceCreationTime]: str('TM', series.studyTime),
    [Tag.SOPClassUID]: str('UI', SOP_CLASS[series.modality]),
    [Tag.SOPInstanceUID]: str('UI', instanceUid(series, index)),
    [Tag.StudyDate]: str('DA', series.studyDate),
    [Tag.SeriesDate]: str('DA', series.studyDate),
    [Tag.ContentDate]: str('DA', series.studyDate),
    [Tag.StudyTime]: str('TM', series.studyTime),
    [Tag.SeriesTime]: str('TM', series.studyTime),
    [Tag.ContentTime]: str('TM', series.studyTime),
    [Tag.AccessionNumber]: str('SH', series.accessionNumber),
    [Tag.Modality]: str('CS', series.modality),
    [Tag.Manufacturer]: str('LO', 'Telemed'),
    [Tag.InstitutionName]: str('LO', series.institutionName),
    [Tag.ReferringPhysicianName]: { vr: 'PN' },
    [Tag.StudyDescription]: str('LO', series.studyDescription),
    [Tag.SeriesDescription]: str('LO', series.seriesDescription),
    [Tag.ManufacturerModelName]: str('LO', 'Synthetic Phantom'),
    [Tag.PatientName]: { vr: 'PN', Value: [personName(series.patientName)] },
    [Tag.PatientID]: str('LO', series.patientId),
    [Tag.PatientBirthDate]: str('DA', series.patientBirthDate),
    [Tag.PatientSex]: str('CS', series.patientSex),
    [Tag.SliceThickness]: str('DS', series.sliceThickness),
    [Tag.PatientPosition]: str('CS', 'HFS'),
    [Tag.StudyInstanceUID]: str('UI', series.studyInstanceUid),
    [Tag.SeriesInstanceUID]: str('UI', series.seriesInstanceUid),
    [Tag.StudyID]: str('SH', `S${pad(series.seed % 1_000_000, 6)}`),
    [Tag.SeriesNumber]: str('IS', series.seriesNumber),
    [Tag.AcquisitionNumber]: str('IS', 1),
    [Tag.InstanceNumber]: str('IS', index + 1),
    [Tag.ImagePositionPatient]: str('DS', x, y, slice.z),
    [Tag.ImageOrientationPatient]: str('DS', 1, 0, 0, 0, 1, 0),
    [Tag.FrameOfReferenceUID]: str('UI', series.frameOfReferenceUid),
    [Tag.PositionReferenceIndicator]: { vr: 'LO' },
    [Tag.SliceLocation]: str('DS', slice.z),
    [Tag.SamplesPerPixel]: str('US', 1),
    [Tag.PhotometricInterpretation]: str('CS', 'MONOCHROME2'),
    [Tag.Rows]: str('US', series.rows),
    [Tag.Columns]: str('US', series.columns),
    [Tag.PixelSpacing]: str('DS', slice.pixelSpacing, slice.pixelSpacing),
    [Tag.BitsAllocated]: str('US', 16),
    [Tag.BitsStored]: str('US', 12),
    [Tag.HighBit]: str('US', 11),
    [Tag.PixelRepresentation]: str('US', 0),
    [Tag.BurnedInAnnotation]: str('CS', 'NO'),
    [Tag.LossyImageCompression]: str('CS', '00'),
    ...modalityAttributes(series, slice),
    [Tag.PixelData]: { vr: 'OW', bytes: littleEndianBytes(pixels) },
  };
}

/**
 * Yields the slices of a synthetic CT or MR series as Part 10 files, top of the volume first. Output depends only on
 * the options: UIDs, dates and noise derive from the seed under this platform's UID root.
 */
export function* generateSeries(options: SeriesOptions): Generator<Uint8Array, void, undefined> {
  const series = resolve(options);
  for (let index = 0; index < series.slices; index++) {
    const dataset = sliceDataset(series, index, pixelsOf(series, index));
    yield writePart10(dataset, { transferSyntaxUid: series.transferSyntaxUid });
  }
}
