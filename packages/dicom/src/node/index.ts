/**
 * @telemed/dicom/node: the helpers that need Node (zlib, the file system). Everything else is in '@telemed/dicom'.
 */
export { inflateRawLimited } from './inflate.js';
export { parsePart10WithZlib } from './parse.js';
export { inflateRawPrefix, readInstanceIdentity } from './instance-identity.js';
export { writeGeneratedSeries } from './generate-series.js';
export type { WriteSeriesOptions } from './generate-series.js';
export { MultipartError, readMultipart } from './multipart-reader.js';
export type { ReadMultipartOptions, ReadPart } from './multipart-reader.js';
