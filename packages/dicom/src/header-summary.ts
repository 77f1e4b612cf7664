/**
 * What a sender needs to see of a file before sending it, read from its first bytes in the browser or in Node: who the
 * patient is (names decoded in the file's own character set: GB18030, UTF-8...), which study and series it belongs
 * to, and how it is encoded. Parsing stops before the pixel data, so a prefix of the file is enough.
 */
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { decodeText, parseCharacterSets } from './charset.js';
import { DicomError } from './types.js';

/** The header of one instance as an upload shows and groups it; a missing attribute is an empty string. */
export interface HeaderSummary {
  patientName: string;
  patientId: string;
  patientBirthDate: string;
  patientSex: string;
  studyInstanceUid: string;
  studyDate: string;
  studyDescription: string;
  accessionNumber: string;
  seriesInstanceUid: string;
  seriesNumber: string;
  seriesDescription: string;
  modality: string;
  bodyPartExamined: string;
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  numberOfFrames: number;
}

/** How much of a file's start a header normally fits in; read more when `readHeaderSummary` says the bytes ended. */
export const HEADER_PREFIX_BYTES = 128 * 1024;

/**
 * Reads the header of a Part 10 file from its first bytes. Throws DicomError `not_dicom` when the bytes are not DICOM
 * and `truncated` when they end before the header does (read a longer prefix then).
 */
export function readHeaderSummary(bytes: Uint8Array): HeaderSummary {
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
  } catch (error) {
    const text = failure(error);
    // a DICM preamble that runs out: the file is DICOM, its header longer than the bytes read
    if (isPart10(bytes) && /past end|overrun|overread|maxP ?osition|greater than or equal|eof/i.test(text)) {
      throw new DicomError('truncated', 'the header goes on past the bytes read: read more of the file');
    }
    throw new DicomError('not_dicom', `not a DICOM Part 10 file (${text})`);
  }
  const charsets = parseCharacterSets(dataSet.string('x00080005'));
  const raw = (tag: string): string => (dataSet.string(tag) ?? '').replace(/[\0 ]+$/, '').trim();
  const text = (tag: string): string => {
    const element = dataSet.elements[tag];
    if (!element || element.length === 0) return '';
    const slice = dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
    return decodeText(slice, charsets, 'PN')
      .replace(/[\0 ]+$/, '')
      .trim();
  };
  const frames = Number.parseInt(raw('x00280008'), 10);
  return {
    patientName: text('x00100010'),
    patientId: text('x00100020'),
    patientBirthDate: raw('x00100030'),
    patientSex: raw('x00100040'),
    studyInstanceUid: raw('x0020000d'),
    studyDate: raw('x00080020'),
    studyDescription: text('x00081030'),
    accessionNumber: raw('x00080050'),
    seriesInstanceUid: raw('x0020000e'),
    seriesNumber: raw('x00200011'),
    seriesDescription: text('x0008103e'),
    modality: raw('x00080060'),
    bodyPartExamined: raw('x00180015'),
    sopClassUid: raw('x00080016') || raw('x00020002'),
    sopInstanceUid: raw('x00080018') || raw('x00020003'),
    transferSyntaxUid: raw('x00020010'),
    numberOfFrames: Number.isFinite(frames) && frames > 0 ? frames : 1,
  };
}

function isPart10(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && String.fromCharCode(...bytes.subarray(128, 132)) === 'DICM';
}

// dicom-parser throws strings as well as Errors, sometimes with the partial data set attached
function failure(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && 'exception' in error) return String(error.exception);
  return 'unknown parse error';
}
