import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

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

const CRLF = '\r\n';

/**
 * Frames files as `multipart/related; type="application/dicom"` (RFC 2387, PS3.18 8.6.1.2). The boundary is 32
 * random bytes in hex, which cannot plausibly occur inside a DICOM file. The length is exact so the request can
 * carry Content-Length instead of chunked encoding, which proxies and the api can check against.
 */
export function multipartBody(files: readonly PartFile[], boundary: string = newBoundary()): MultipartBody {
  const partHead = Buffer.from(`--${boundary}${CRLF}Content-Type: application/dicom${CRLF}${CRLF}`, 'ascii');
  const partTail = Buffer.from(CRLF, 'ascii');
  const closing = Buffer.from(`--${boundary}--${CRLF}`, 'ascii');
  const length =
    files.reduce((sum, file) => sum + partHead.length + file.size + partTail.length, 0) + closing.length;

  async function* generate(): AsyncGenerator<Buffer> {
    for (const file of files) {
      yield partHead;
      let read = 0;
      for await (const chunk of createReadStream(file.path)) {
        const bytes = chunk as Buffer;
        read += bytes.length;
        yield bytes;
      }
      // Spool files never change once in place; a different size means the Content-Length would be a lie.
      if (read !== file.size) throw new Error(`${file.path} changed size while being sent`);
      yield partTail;
    }
    yield closing;
  }

  return {
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
    length,
    stream: () => Readable.from(generate(), { objectMode: false }),
  };
}

/** A boundary for one request. */
export function newBoundary(): string {
  return randomBytes(32).toString('hex');
}
