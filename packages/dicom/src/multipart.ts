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
 * Parses `multipart/related; type="application/dicom"; boundary=...` (RFC 2387). Returns null when the header is not
 * multipart/related or has no usable boundary.
 */
export function parseMultipartContentType(header: string | undefined): MultipartContentType | null {
  if (!header) return null;
  const [media = '', ...rest] = splitParams(header);
  const mediaType = media.trim().toLowerCase();
  if (mediaType !== 'multipart/related') return null;
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
  // RFC 2046: 1 to 70 characters from a restricted set, not ending in a space.
  if (
    !boundary ||
    boundary.length > 70 ||
    !/^[0-9A-Za-z'()+_,\-./:=? ]*[0-9A-Za-z'()+_,\-./:=?]$/.test(boundary)
  ) {
    return null;
  }
  return {
    mediaType,
    type: params.get('type')?.toLowerCase() ?? null,
    boundary,
    start: params.get('start') ?? null,
  };
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
