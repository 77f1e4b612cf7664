import { readMultipartContentType, type MultipartContentTypeResult } from '@telemed/dicom';

/** What a STOW-RS body (or a whole-study upload) must be sent as. */
export const STOW_CONTENT_TYPE = 'multipart/related; type="application/dicom"; boundary=…';

/**
 * The Content-Type of a STOW-RS body, or what exactly is wrong with it (no header, another media type, no boundary,
 * a boundary too long or with a character not allowed, a type parameter other than application/dicom) and what to
 * send instead.
 */
export function readStowContentType(header: string | undefined): MultipartContentTypeResult {
  const read = readMultipartContentType(header);
  if (!read.ok) return { ok: false, problem: `${read.problem}; send ${STOW_CONTENT_TYPE}` };
  const { type } = read.value;
  if (type !== null && type !== 'application/dicom') {
    return {
      ok: false,
      problem: `the type parameter is "${type}", but this archive stores application/dicom parts; send ${STOW_CONTENT_TYPE}`,
    };
  }
  return read;
}
