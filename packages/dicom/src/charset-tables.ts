/**
 * Encoding tables for the legacy character sets DICOM allows. TextEncoder only produces UTF-8, and shipping
 * mapping tables for GB18030, KS X 1001 and JIS X 0208 would add hundreds of kilobytes to the browser bundle.
 * Every runtime we support already carries these tables inside TextDecoder, so each table is built once, on first
 * use, by decoding every code of the set and inverting the result. Encoding is then exactly the inverse of what this
 * runtime decodes, which is the property round trips depend on.
 */

const decoders = new Map<string, TextDecoder>();

/** A cached TextDecoder for a WHATWG encoding label (non-fatal: bad bytes become U+FFFD). */
export function textDecoder(label: string): TextDecoder {
  let decoder = decoders.get(label);
  if (!decoder) {
    decoder = new TextDecoder(label);
    decoders.set(label, decoder);
  }
  return decoder;
}

/**
 * Decodes fixed-width codes (concatenated in `codes`, `width` bytes each) and maps each resulting character to the
 * index of its code. One decode call for the whole table is fast; when the decoder does not return exactly one
 * UTF-16 unit per code (an unmapped code can swallow or release a neighbour), it falls back to one call per code.
 */
function invertCodes(label: string, codes: Uint8Array, width: number): Map<number, number> {
  const count = codes.length / width;
  const decoder = textDecoder(label);
  const table = new Map<number, number>();
  const all = decoder.decode(codes);
  const perCode =
    all.length === count
      ? all
      : Array.from({ length: count }, (_, i) => decodeOne(decoder, codes, i, width)).join('');
  for (let i = 0; i < count; i++) {
    const unit = perCode.charCodeAt(i);
    if (unit !== 0xfffd && !table.has(unit)) table.set(unit, i);
  }
  return table;
}

function decodeOne(decoder: TextDecoder, codes: Uint8Array, index: number, width: number): string {
  const text = decoder.decode(codes.subarray(index * width, index * width + width));
  return text.length === 1 ? text : '\ufffd';
}

/** All two-byte codes with both bytes in 0xA1-0xFE: the 94x94 sets (GB2312, KS X 1001, JIS X 0208) in GR form. */
function grPairs(): Uint8Array {
  const codes = new Uint8Array(94 * 94 * 2);
  let i = 0;
  for (let lead = 0xa1; lead <= 0xfe; lead++) {
    for (let trail = 0xa1; trail <= 0xfe; trail++) {
      codes[i++] = lead;
      codes[i++] = trail;
    }
  }
  return codes;
}

const grTables = new Map<string, Map<number, number>>();

/**
 * Two-byte GR code (lead << 8 | trail) of a BMP character in a 94x94 set read through `label`
 * ('gbk' for GB2312, 'euc-kr' for KS X 1001, 'euc-jp' for JIS X 0208), or undefined when the set lacks it.
 */
export function encodeGrPair(label: string, codeUnit: number): number | undefined {
  let table = grTables.get(label);
  if (!table) {
    table = invertCodes(label, grPairs(), 2);
    grTables.set(label, table);
  }
  const index = table.get(codeUnit);
  if (index === undefined) return undefined;
  return ((0xa1 + Math.floor(index / 94)) << 8) | (0xa1 + (index % 94));
}

/** GB18030 two-byte codes: lead 0x81-0xFE, trail 0x40-0x7E or 0x80-0xFE; 126 x 190 of them. */
const GB_TRAILS = 190;
let gbTwoByte: Map<number, number> | undefined;
let gbFourByte: Map<number, number> | undefined;

function gbTwoByteTable(): Map<number, number> {
  if (!gbTwoByte) {
    const codes = new Uint8Array(126 * GB_TRAILS * 2);
    let i = 0;
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        codes[i++] = lead;
        codes[i++] = trail;
      }
    }
    gbTwoByte = invertCodes('gb18030', codes, 2);
  }
  return gbTwoByte;
}

/** GB18030 four-byte code of a linear pointer (the "GB18030 ranges" numbering of the Encoding Standard). */
function fourBytesOf(pointer: number): [number, number, number, number] {
  return [
    0x81 + Math.floor(pointer / 12600),
    0x30 + (Math.floor(pointer / 1260) % 10),
    0x81 + (Math.floor(pointer / 10) % 126),
    0x30 + (pointer % 10),
  ];
}

/** BMP characters outside the two-byte area sit at four-byte pointers 0..39419. */
const BMP_FOUR_BYTE_POINTERS = 39420;

function gbFourByteTable(): Map<number, number> {
  if (!gbFourByte) {
    const codes = new Uint8Array(BMP_FOUR_BYTE_POINTERS * 4);
    for (let pointer = 0; pointer < BMP_FOUR_BYTE_POINTERS; pointer++) {
      codes.set(fourBytesOf(pointer), pointer * 4);
    }
    gbFourByte = invertCodes('gb18030', codes, 4);
  }
  return gbFourByte;
}

function twoBytesOf(index: number): [number, number] {
  const trail = index % GB_TRAILS;
  return [0x81 + Math.floor(index / GB_TRAILS), trail < 0x3f ? 0x40 + trail : 0x41 + trail];
}

/**
 * Encodes text as GB18030 (`fourByte` true) or GBK (two-byte codes only). Throws naming the first character the
 * encoding cannot represent.
 */
export function encodeGb(text: string, fourByte: boolean): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    if (cp < 0x80) {
      out.push(cp);
      continue;
    }
    if (cp <= 0xffff) {
      const index = gbTwoByteTable().get(cp);
      if (index !== undefined) {
        out.push(...twoBytesOf(index));
        continue;
      }
      const pointer = fourByte ? gbFourByteTable().get(cp) : undefined;
      if (pointer !== undefined) {
        out.push(...fourBytesOf(pointer));
        continue;
      }
    } else if (fourByte) {
      out.push(...fourBytesOf(189000 + cp - 0x10000));
      continue;
    }
    throw new RangeError(
      `'${char}' (U+${cp.toString(16).toUpperCase()}) has no ${fourByte ? 'GB18030' : 'GBK'} code`,
    );
  }
  return Uint8Array.from(out);
}

const singleByteTables = new Map<string, Map<number, number>>();

/** GR byte (0xA0-0xFF) of a character in an 8-bit single-byte set read through `label`, or undefined. */
export function encodeGrByte(label: string, codeUnit: number): number | undefined {
  let table = singleByteTables.get(label);
  if (!table) {
    const codes = Uint8Array.from({ length: 0x60 }, (_, i) => 0xa0 + i);
    table = invertCodes(label, codes, 1);
    singleByteTables.set(label, table);
  }
  const index = table.get(codeUnit);
  return index === undefined ? undefined : 0xa0 + index;
}
