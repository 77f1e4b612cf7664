/**
 * @telemed/dicom: DICOM for Node and the browser. This entry uses no Node built-ins; Node-only helpers (zlib, files)
 * are in '@telemed/dicom/node'.
 */
export type {
  ByteRange,
  DicomErrorReason,
  DicomJson,
  DicomJsonAttribute,
  FrameRange,
  ParsedInstance,
  PersonNameJson,
} from './types.js';
export { DicomError } from './types.js';

export { formatTag, keywordOf, normalizeTag, Tag, tagInfo, vrOf } from './tags.js';
export type { Keyword, TagInfo } from './tags.js';

export { decodeText, encodeText, parseCharacterSets } from './charset.js';

export { parsePart10, part10ToJson } from './part10.js';
export type { Inflate, ParseOptions } from './part10.js';
export { INLINE_BINARY_MAX } from './dicom-json.js';
export { frameBytes } from './frames.js';

export { formatDecimalString, part10Header, writePart10 } from './writer.js';
export type {
  FileMetaFields,
  WritableAttribute,
  WritableDataset,
  WritableElement,
  WriteOptions,
} from './writer.js';
export { instanceIdentity } from './identity.js';
export { HEADER_PREFIX_BYTES, readHeaderSummary, type HeaderSummary } from './header-summary.js';
export type { InstanceIdentity, InstanceIdentityOptions } from './identity.js';

export { transferSyntax, TransferSyntaxUid } from './transfer-syntax.js';
export { seededRandom } from './random.js';
export type { TransferSyntax } from './transfer-syntax.js';
export {
  IMPLEMENTATION_CLASS_UID,
  IMPLEMENTATION_VERSION_NAME,
  isValidUid,
  randomUid,
  UID_ROOT,
} from './uid.js';
export { isStorageSopClass, MEDIA_STORAGE_DIRECTORY, SopClassUid } from './sop-class.js';

export { decodeBase64, encodeBase64 } from './base64.js';

export { generateSeries, generateSlicePixels, seriesUids } from './generator.js';
export type { GeneratorCharset, SeriesOptions, SeriesUids } from './generator.js';

export {
  closeDelimiter,
  encodeMultipartRelated,
  MAX_BOUNDARY_LENGTH,
  newBoundary,
  parseMultipartContentType,
  partHead,
  readMultipartContentType,
} from './multipart.js';
export type { MultipartContentType, MultipartContentTypeResult, MultipartPart } from './multipart.js';

export {
  DEIDENTIFIED_UID_ROOT,
  deidentify,
  deidentifyDataset,
  deidentifyPart10,
  replacementUid,
} from './deidentify.js';
export type { DeidentifiedInstance, DeidentifyOptions } from './deidentify.js';
export { COMPOUND_ACTIONS, PROFILE_ROWS, profileRow } from './deidentify-profile.js';
export type { OptionActions, ProfileAction, ProfileRow, SimpleAction } from './deidentify-profile.js';
