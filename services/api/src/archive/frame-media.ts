/**
 * Which media type and transfer syntax a frames request gets (PS3.18 8.7.3.5 and Table 8.7.3-5): uncompressed
 * little-endian pixels unless the client asks for the stored encoding, by `transfer-syntax=*` or by naming it.
 */
import { AppError } from '@telemed/contracts';
import { transferSyntax, TransferSyntaxUid } from '@telemed/dicom';
import { canDecode } from '@telemed/dicom/codecs';

const OCTET_STREAM = 'application/octet-stream';
const NATIVE_LITTLE_ENDIAN = new Set<string>([
  TransferSyntaxUid.ImplicitVRLittleEndian,
  TransferSyntaxUid.ExplicitVRLittleEndian,
  // deflated files are indexed from their inflated bytes, so their frames are native little endian
  TransferSyntaxUid.DeflatedExplicitVRLittleEndian,
]);

/** The compressed media types of PS3.18 Table 8.7.3-5 and the transfer syntaxes each may carry, default first. */
const COMPRESSED_MEDIA: ReadonlyMap<string, readonly string[]> = new Map([
  [
    'image/jpeg',
    ['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70'],
  ],
  ['image/x-dicom-rle', ['1.2.840.10008.1.2.5']],
  ['image/jls', ['1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81']],
  ['image/jp2', ['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91']],
  ['image/jpx', ['1.2.840.10008.1.2.4.92', '1.2.840.10008.1.2.4.93']],
  ['image/jphc', ['1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.4.202', '1.2.840.10008.1.2.4.203']],
]);

/** What a frames answer will be: each part's media type and transfer syntax, and whether frames are decoded. */
export interface FrameMedia {
  mediaType: string;
  transferSyntaxUid: string;
  decode: boolean;
}

/** One media range of an Accept header, as far as frames care. */
interface Range {
  mediaType: string;
  transferSyntax: string | null;
  q: number;
}

function parameters(range: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const piece of range.split(';').slice(1)) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    out.set(
      piece.slice(0, eq).trim().toLowerCase(),
      piece
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, ''),
    );
  }
  return out;
}

/** The ranges of an Accept header, most wanted first; multipart/related ranges stand for their `type`. */
function ranges(accept: string | undefined): Range[] {
  if (!accept?.trim()) return [{ mediaType: '*/*', transferSyntax: null, q: 1 }];
  return accept
    .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((range): Range => {
      const params = parameters(range);
      let mediaType = (range.split(';')[0] ?? '').trim().toLowerCase();
      if (mediaType === 'multipart/related') mediaType = params.get('type')?.toLowerCase() ?? OCTET_STREAM;
      const q = Number(params.get('q') ?? '1');
      return { mediaType, transferSyntax: params.get('transfer-syntax') ?? null, q: Number.isNaN(q) ? 1 : q };
    })
    .filter((r) => r.q > 0)
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.q - a.r.q || a.i - b.i)
    .map(({ r }) => r);
}

/** What one range gets from a frame stored in `stored`, or null when this archive cannot answer it. */
function answer(range: Range, stored: string): FrameMedia | null {
  const { mediaType } = range;
  const asked = range.transferSyntax;
  if (mediaType === OCTET_STREAM || mediaType === '*/*' || mediaType === 'multipart/*') {
    if (asked === '*') return { mediaType: OCTET_STREAM, transferSyntaxUid: stored, decode: false };
    const wanted = asked ?? TransferSyntaxUid.ExplicitVRLittleEndian;
    if (wanted === stored && !transferSyntax(stored)?.encapsulated)
      return { mediaType: OCTET_STREAM, transferSyntaxUid: stored, decode: false };
    if (wanted !== TransferSyntaxUid.ExplicitVRLittleEndian) return null;
    if (NATIVE_LITTLE_ENDIAN.has(stored))
      return { mediaType: OCTET_STREAM, transferSyntaxUid: wanted, decode: false };
    return canDecode(stored) ? { mediaType: OCTET_STREAM, transferSyntaxUid: wanted, decode: true } : null;
  }
  const syntaxes = COMPRESSED_MEDIA.get(mediaType);
  if (!syntaxes?.includes(stored)) return null;
  // without a transfer-syntax (or with *) the stored one of this media type is as good as its default
  if (asked === null || asked === '*' || asked === stored)
    return { mediaType, transferSyntaxUid: stored, decode: false };
  return null;
}

/** A name for a transfer syntax in messages: its name and UID. */
function named(uid: string): string {
  const known = transferSyntax(uid);
  return known ? `${known.name} (${uid})` : uid;
}

/** The media type a client should ask for to get frames stored in `stored` as they are. */
function mediaTypeOf(stored: string): string {
  for (const [media, syntaxes] of COMPRESSED_MEDIA) if (syntaxes.includes(stored)) return media;
  return OCTET_STREAM;
}

/**
 * The answer to a frames request with this Accept header for frames stored in `stored`, or a 406 that says what
 * this instance can be had as.
 */
export function frameMedia(accept: string | undefined, stored: string): FrameMedia {
  for (const range of ranges(accept)) {
    const media = answer(range, stored);
    if (media) return media;
  }
  const offers = [`multipart/related; type="${mediaTypeOf(stored)}"; transfer-syntax=${stored}`];
  if (NATIVE_LITTLE_ENDIAN.has(stored) || canDecode(stored))
    offers.push(
      `multipart/related; type="${OCTET_STREAM}" (uncompressed, ${TransferSyntaxUid.ExplicitVRLittleEndian})`,
    );
  throw new AppError(
    'not_acceptable',
    `the frames of this instance are stored as ${named(stored)} and cannot be served as the Accept header asks` +
      `${NATIVE_LITTLE_ENDIAN.has(stored) || canDecode(stored) ? '' : ', nor decoded here'}; ask for ${offers.join(' or ')}`,
  );
}

/** The transfer syntaxes frames stored in `stored` can be had in (Available Transfer Syntax UID, 0008,3002). */
export function availableTransferSyntaxes(stored: string): string[] {
  const out = [stored];
  if (
    stored !== TransferSyntaxUid.ExplicitVRLittleEndian &&
    (NATIVE_LITTLE_ENDIAN.has(stored) || canDecode(stored))
  )
    out.push(TransferSyntaxUid.ExplicitVRLittleEndian);
  return out;
}
