/** One body part of a multipart/related message. */
export interface MultipartPart {
  contentType: string;
  body: Uint8Array;
  headers?: Record<string, string>;
}

/** The media type of a multipart/related request and its parameters. */
export interface MultipartContentType {
  mediaType: string;
  type: string | null;
  boundary: string;
  start: string | null;
}

/**
 * The longest boundary accepted. RFC 2046 limits senders to 70 characters, but real peers send more (Orthanc's
 * DICOMweb plugin sends 73), and a receiver loses nothing by being lenient.
 */
export const MAX_BOUNDARY_LENGTH = 256;

// RFC 2046 bchars: the characters a boundary may hold; it may not end in a space
const BOUNDARY_CHAR = /[0-9A-Za-z'()+_,\-./:=? ]/;

/** A multipart/related Content-Type read, or what is wrong with it in words a sender can act on. */
export type MultipartContentTypeResult =
  { ok: true; value: MultipartContentType } | { ok: false; problem: string };

/**
 * Reads `multipart/related; type="application/dicom"; boundary=...` (RFC 2387), saying exactly what is wrong when
 * it cannot be used: no header, another media type, no boundary, a boundary too long or holding a character
 * RFC 2046 does not allow.
 */
export function readMultipartContentType(header: string | undefined): MultipartContentTypeResult {
  if (!header?.trim()) return { ok: false, problem: 'the request has no Content-Type' };
  const [media = '', ...rest] = splitParams(header);
  const mediaType = media.trim().toLowerCase();
  if (mediaType !== 'multipart/related')
    return { ok: false, problem: `the Content-Type is ${mediaType || 'empty'}, not multipart/related` };
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    let value = p.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    params.set(key, value);
  }
  const boundary = params.get('boundary');
  if (boundary === undefined)
    return { ok: false, problem: 'the multipart/related Content-Type has no boundary parameter' };
  if (!boundary) return { ok: false, problem: 'the boundary parameter is empty' };
  if (boundary.length > MAX_BOUNDARY_LENGTH) {
    return {
      ok: false,
      problem: `the boundary is ${boundary.length} characters long; at most ${MAX_BOUNDARY_LENGTH} are accepted`,
    };
  }
  // code points, so a character outside the BMP is named whole
  const chars = Array.from(boundary);
  const bad = chars.findIndex((ch) => !BOUNDARY_CHAR.test(ch));
  if (bad >= 0) {
    return {
      ok: false,
      problem: `the boundary holds ${JSON.stringify(chars[bad])} at character ${bad + 1}, which RFC 2046 does not allow in a boundary`,
    };
  }
  if (boundary.endsWith(' '))
    return { ok: false, problem: 'the boundary ends in a space, which RFC 2046 does not allow' };
  return {
    ok: true,
    value: {
      mediaType,
      type: params.get('type')?.toLowerCase() ?? null,
      boundary,
      start: params.get('start') ?? null,
    },
  };
}

/** Like `readMultipartContentType`, but null when the header cannot be used. */
export function parseMultipartContentType(header: string | undefined): MultipartContentType | null {
  const result = readMultipartContentType(header);
  return result.ok ? result.value : null;
}

function splitParams(header: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const ch = header.charAt(i);
    if (ch === '"' && header.charAt(i - 1) !== '\\') quoted = !quoted;
    if (ch === ';' && !quoted) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

/** A boundary unlikely to occur in DICOM data: 32 random hex digits. */
export function newBoundary(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `telemed-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const encoder = new TextEncoder();

/** The bytes that open a part: the delimiter line and the part's headers. */
export function partHead(
  boundary: string,
  contentType: string,
  extraHeaders: Record<string, string> = {},
): Uint8Array {
  const headers = [
    `Content-Type: ${contentType}`,
    ...Object.entries(extraHeaders).map(([k, v]) => `${k}: ${v}`),
  ];
  return encoder.encode(`\r\n--${boundary}\r\n${headers.join('\r\n')}\r\n\r\n`);
}

/** The bytes that close the message. */
export function closeDelimiter(boundary: string): Uint8Array {
  return encoder.encode(`\r\n--${boundary}--\r\n`);
}

/** A whole multipart/related body in memory; for streaming, write `partHead`, the body, then `closeDelimiter`. */
export function encodeMultipartRelated(parts: MultipartPart[], boundary: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    chunks.push(partHead(boundary, part.contentType, part.headers), part.body);
  }
  chunks.push(closeDelimiter(boundary));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
