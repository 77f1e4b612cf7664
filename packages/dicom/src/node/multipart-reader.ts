/** A part read off a multipart/related stream: whole when it fits the limit, else only its size. */
export type ReadPart =
  | { headers: Record<string, string>; body: Buffer; tooLarge: false; size: number }
  | { headers: Record<string, string>; body: null; tooLarge: true; size: number };

/** Why a multipart/related stream could not be read. */
export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

export interface ReadMultipartOptions {
  /** A part larger than this is skipped (reported tooLarge) without being held in memory. */
  maxPartBytes: number;
  /** The headers of one part may not exceed this. */
  maxHeaderBytes?: number;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Reads a multipart/related body (RFC 2046 / 2387) from a stream one part at a time, so memory holds one part at
 * most, never the whole message. Yields each part as it completes.
 */
export async function* readMultipart(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
  options: ReadMultipartOptions,
): AsyncGenerator<ReadPart> {
  const maxHeaderBytes = options.maxHeaderBytes ?? 16 * 1024;
  // Treat the stream as if it began with CRLF, so the first delimiter looks like every other one.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let pending: Buffer = Buffer.from(CRLF);
  let state: 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'epilogue' = 'preamble';
  let headers: Record<string, string> = {};
  let bodyChunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;

  const finishPart = (): ReadPart => {
    const part: ReadPart = tooLarge
      ? { headers, body: null, tooLarge: true, size }
      : { headers, body: Buffer.concat(bodyChunks, size), tooLarge: false, size };
    headers = {};
    bodyChunks = [];
    size = 0;
    tooLarge = false;
    return part;
  };

  const takeBody = (bytes: Buffer): void => {
    size += bytes.length;
    if (tooLarge) return;
    if (size > options.maxPartBytes) {
      tooLarge = true;
      bodyChunks = [];
      return;
    }
    if (bytes.length) bodyChunks.push(Buffer.from(bytes));
  };

  for await (const chunk of source) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : Buffer.from(chunk);
    for (;;) {
      if (state === 'preamble' || state === 'body') {
        const at = pending.indexOf(delimiter);
        if (at < 0) {
          // Keep enough of the tail to find a delimiter split across chunks.
          const keep = Math.min(pending.length, delimiter.length - 1);
          if (state === 'body') takeBody(pending.subarray(0, pending.length - keep));
          pending = pending.subarray(pending.length - keep);
          break;
        }
        if (state === 'body') {
          takeBody(pending.subarray(0, at));
          yield finishPart();
        }
        pending = pending.subarray(at + delimiter.length);
        state = 'after-delimiter';
      }
      if (state === 'after-delimiter') {
        if (pending.length < 2) break;
        if (pending[0] === 0x2d && pending[1] === 0x2d) {
          state = 'epilogue';
          pending = Buffer.alloc(0);
          break;
        }
        // transport padding (spaces, tabs) may follow the boundary before CRLF
        const eol = pending.indexOf(CRLF);
        if (eol < 0) {
          if (pending.length > 80)
            throw new MultipartError('a boundary line is not followed by a line break');
          break;
        }
        if (!/^[ \t]*$/.test(pending.subarray(0, eol).toString('latin1'))) {
          throw new MultipartError('text follows a boundary on its line; is the boundary parameter right?');
        }
        pending = pending.subarray(eol + 2);
        state = 'headers';
      }
      if (state === 'headers') {
        // a part with no headers starts right away with the blank line
        if (pending.length >= 2 && pending[0] === 0x0d && pending[1] === 0x0a) {
          pending = pending.subarray(2);
          state = 'body';
          continue;
        }
        const end = pending.indexOf(HEADER_END);
        if (end < 0) {
          if (pending.length > maxHeaderBytes) throw new MultipartError('the headers of a part are too long');
          break;
        }
        headers = parseHeaders(pending.subarray(0, end).toString('latin1'));
        pending = pending.subarray(end + HEADER_END.length);
        state = 'body';
        continue;
      }
      // epilogue: whatever follows the closing boundary is ignored
      pending = Buffer.alloc(0);
      break;
    }
  }
  if (state === 'preamble') throw new MultipartError(`no part found: the body never contains --${boundary}`);
  if (state !== 'epilogue') {
    throw new MultipartError('the body ended before the closing boundary; the upload was cut short');
  }
}

function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}
