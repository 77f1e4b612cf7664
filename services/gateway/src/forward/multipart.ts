import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { closeDelimiter, newBoundary, partHead } from '@telemed/dicom';

/** A file to send as one `application/dicom` part. */
export interface PartFile {
  path: string;
  size: number;
}

/** A multipart/related request body whose length is known before it is read. */
export interface MultipartBody {
  contentType: string;
  length: number;
  /** A fresh stream of the body; files are read from disk as it is consumed, never held whole. */
  stream: () => Readable;
}

/**
 * Frames files as `multipart/related; type="application/dicom"` (RFC 2387, PS3.18 8.6.1.2) with the delimiters of
 * `@telemed/dicom`. The length is exact so the request can carry Content-Length instead of chunked encoding, which
 * proxies and the api can check against.
 */
export function multipartBody(files: readonly PartFile[], boundary: string = newBoundary()): MultipartBody {
  const head = partHead(boundary, 'application/dicom');
  const closing = closeDelimiter(boundary);
  const length = files.reduce((sum, file) => sum + head.length + file.size, 0) + closing.length;

  async function* generate(): AsyncGenerator<Uint8Array> {
    for (const file of files) {
      yield head;
      let read = 0;
      for await (const chunk of createReadStream(file.path)) {
        const bytes = chunk as Buffer;
        read += bytes.length;
        yield bytes;
      }
      // Spool files never change once in place; a different size means the Content-Length would be a lie.
      if (read !== file.size) throw new Error(`${file.path} changed size while being sent`);
    }
    yield closing;
  }

  return {
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
    length,
    stream: () => Readable.from(generate(), { objectMode: false }),
  };
}
