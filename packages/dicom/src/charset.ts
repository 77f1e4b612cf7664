/**
 * Text values under Specific Character Set (0008,0005), PS3.5 6.1.
 *
 * Two families exist. UTF-8 (ISO_IR 192), GB18030 and GBK stand alone: one variable-length code for the whole value.
 * Everything else is ISO 2022: value 1 designates the initial G0 (bytes < 0x80) and G1 (bytes >= 0x80) sets, and a
 * multi-valued attribute lets escape sequences switch sets mid-value. The encoder must return to the initial state
 * before each delimiter (CR, LF, FF, TAB, backslash between values and, in PN, '^' and '='), so the decoder resets
 * there too; that is why a name component needs a fresh ESC $ ) A before its GB2312 characters (PS3.5 Annex K).
 *
 * Values are decoded whole and split afterwards: a GB18030 trail byte can be 0x5C, so splitting bytes on backslash
 * would cut characters in half.
 */
import { encodeGb, encodeGrByte, encodeGrPair, textDecoder } from './charset-tables.js';

/** One graphic character set as ISO 2022 sees it. */
interface CodeElement {
  readonly name: string;
  /** G0 sets occupy bytes 0x21-0x7E, G1 sets 0xA0-0xFF. */
  readonly slot: 0 | 1;
  readonly bytesPerChar: 1 | 2;
  /** The escape sequence designating this set, without the leading ESC. */
  readonly escape: readonly number[];
  decode(bytes: Uint8Array): string;
  /** Bytes for one character, or undefined when the set lacks it. */
  encode(codePoint: number): number[] | undefined;
}

const ESC = 0x1b;

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

/** ISO 646 (ISO-IR 6). Bytes above 0x7F in a value that declares no character set are read as Latin-1, as most
 * toolkits do, rather than dropped. */
const ASCII: CodeElement = {
  name: 'ISO 2022 IR 6',
  slot: 0,
  bytesPerChar: 1,
  escape: [0x28, 0x42],
  decode: latin1,
  encode: (cp) => (cp < 0x80 ? [cp] : undefined),
};

/** JIS X 0201 Romaji (ISO-IR 14). Decoded as ASCII: 0x5C must stay the DICOM value delimiter, not a yen sign. */
const ROMAJI: CodeElement = { ...ASCII, name: 'ISO 2022 IR 13 (romaji)', escape: [0x28, 0x4a] };

/** JIS X 0201 half-width katakana (ISO-IR 13) in G1. */
const KATAKANA: CodeElement = {
  name: 'ISO 2022 IR 13',
  slot: 1,
  bytesPerChar: 1,
  escape: [0x29, 0x49],
  decode: (bytes) =>
    Array.from(bytes, (b) =>
      b >= 0xa1 && b <= 0xdf ? String.fromCharCode(0xff61 + b - 0xa1) : '\ufffd',
    ).join(''),
  encode: (cp) => (cp >= 0xff61 && cp <= 0xff9f ? [cp - 0xff61 + 0xa1] : undefined),
};

function singleByteG1(name: string, finalByte: number, label: string | undefined): CodeElement {
  return {
    name,
    slot: 1,
    bytesPerChar: 1,
    escape: [0x2d, finalByte],
    decode: label ? (bytes) => textDecoder(label).decode(bytes) : latin1,
    encode: (cp) => {
      if (cp > 0xffff) return undefined;
      const byte = label ? encodeGrByte(label, cp) : cp >= 0xa0 && cp <= 0xff ? cp : undefined;
      return byte === undefined ? undefined : [byte];
    },
  };
}

function pairEncoder(label: string, toGl: boolean): (cp: number) => number[] | undefined {
  return (cp) => {
    const code = cp > 0xffff ? undefined : encodeGrPair(label, cp);
    if (code === undefined) return undefined;
    const mask = toGl ? 0x7f : 0xff;
    return [(code >> 8) & mask, code & mask];
  };
}

/** JIS X 0208 (ISO-IR 87) is designated to G0, so its bytes are 7-bit; EUC-JP is the same code with the high bits set. */
const JIS_X_0208: CodeElement = {
  name: 'ISO 2022 IR 87',
  slot: 0,
  bytesPerChar: 2,
  escape: [0x24, 0x42],
  decode: (bytes) => textDecoder('euc-jp').decode(bytes.map((b) => b | 0x80)),
  encode: pairEncoder('euc-jp', true),
};

/** JIS X 0212 (ISO-IR 159) in G0; EUC-JP reaches it through the 0x8F single shift. Decoding only. */
const JIS_X_0212: CodeElement = {
  name: 'ISO 2022 IR 159',
  slot: 0,
  bytesPerChar: 2,
  escape: [0x24, 0x28, 0x44],
  decode: (bytes) => {
    const shifted: number[] = [];
    for (let i = 0; i + 1 < bytes.length; i += 2) {
      shifted.push(0x8f, (bytes[i] ?? 0) | 0x80, (bytes[i + 1] ?? 0) | 0x80);
    }
    return textDecoder('euc-jp').decode(Uint8Array.from(shifted));
  },
  encode: () => undefined,
};

/** KS X 1001 (ISO-IR 149) in G1: the bytes are EUC-KR. */
const KS_X_1001: CodeElement = {
  name: 'ISO 2022 IR 149',
  slot: 1,
  bytesPerChar: 2,
  escape: [0x24, 0x29, 0x43],
  decode: (bytes) => textDecoder('euc-kr').decode(bytes),
  encode: pairEncoder('euc-kr', false),
};

/** GB 2312 (ISO-IR 58) in G1: the bytes are EUC-CN, which GBK contains. */
const GB2312: CodeElement = {
  name: 'ISO 2022 IR 58',
  slot: 1,
  bytesPerChar: 2,
  escape: [0x24, 0x29, 0x41],
  decode: (bytes) => textDecoder('gbk').decode(bytes),
  encode: pairEncoder('gbk', false),
};

/** ISO-IR number to the code elements it designates initially (G0, G1) — PS3.5 Tables 6.1-2 to 6.1-4. */
const ISO_2022_SETS: ReadonlyMap<number, { g0?: CodeElement; g1?: CodeElement }> = new Map([
  [6, { g0: ASCII }],
  [100, { g0: ASCII, g1: singleByteG1('ISO 2022 IR 100', 0x41, undefined) }],
  [101, { g0: ASCII, g1: singleByteG1('ISO 2022 IR 101', 0x42, 'iso-8859-2') }],
  [109, { g0: ASCII, g1: singleByteG1('ISO 2022 IR 109', 0x43, 'iso-8859-3') }],
  [110, { g0: ASCII, g1: singleByteG1('ISO 2022 IR 110', 0x44, 'iso-8859-4') }],
  [144, { g0: ASCII, g1: singleByteG1('ISO 2022 IR 144', 0x4c, 'iso-8859-5') }],
  [127, { g0: ASCII, g1: singleByteG1('ISO 2022 IR 127', 0x47, 'iso-8859-6') }],
  [126, { g0: ASCII, g1: singleByteG1('ISO 2022 IR 126', 0x46, 'iso-8859-7') }],
  [138, { g0: ASCII, g1: singleByteG1('ISO 2022 IR 138', 0x48, 'iso-8859-8') }],
  [148, { g0: ASCII, g1: singleByteG1('ISO 2022 IR 148', 0x4d, 'iso-8859-9') }],
  [203, { g0: ASCII, g1: singleByteG1('ISO 2022 IR 203', 0x62, 'iso-8859-15') }],
  [166, { g0: ASCII, g1: singleByteG1('ISO 2022 IR 166', 0x54, 'windows-874') }],
  [13, { g0: ROMAJI, g1: KATAKANA }],
  [87, { g0: JIS_X_0208 }],
  [159, { g0: JIS_X_0212 }],
  [149, { g1: KS_X_1001 }],
  [58, { g1: GB2312 }],
]);

/** The stand-alone character sets and the WHATWG label that decodes each. */
const STAND_ALONE: ReadonlyMap<string, string> = new Map([
  ['ISO_IR 192', 'utf-8'],
  ['GB18030', 'gb18030'],
  ['GBK', 'gbk'],
]);

/** Every escape sequence any declared set may use, with the code element it designates. */
const ALL_ELEMENTS: readonly CodeElement[] = [
  ...new Set([...ISO_2022_SETS.values()].flatMap(({ g0, g1 }) => [g0, g1]).filter((e) => e !== undefined)),
  ROMAJI,
];

/** Compiled form of one Specific Character Set value list. */
type Codec =
  | { kind: 'stand-alone'; term: string; label: string }
  | {
      kind: 'iso2022';
      g0: CodeElement;
      g1: CodeElement | undefined;
      /** G1 set for high bytes when none is designated (lenient reading of values that skip the escape). */
      fallbackG1: CodeElement;
      /** Sets the encoder may switch to, in the order (0008,0005) lists them. */
      declared: readonly CodeElement[];
    };

/** Normalises one Defined Term, tolerating the usual misspellings ('ISO-IR 100', 'ISO_IR100', 'iso 2022 ir 58'). */
function normalizeTerm(term: string): string {
  const t = term.trim().toUpperCase();
  if (t === 'GB18030' || t === 'GBK') return t;
  if (t === 'UTF-8' || t === 'UTF8') return 'ISO_IR 192';
  const match = /^ISO[\s_-]*(2022[\s_-]*)?(?:IR[\s_-]*)?(\d+)$/.exec(t);
  if (!match) return t;
  const ir = match[2] ?? '';
  return match[1] ? `ISO 2022 IR ${ir}` : `ISO_IR ${ir}`;
}

function irNumber(term: string): number | undefined {
  const match = /IR (\d+)$/.exec(term);
  return match ? Number(match[1]) : undefined;
}

/** Splits (0008,0005) into its values, normalised; value 1 may be '' (the default repertoire). */
export function parseCharacterSets(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const values = typeof value === 'string' ? value.split('\\') : [...value];
  const terms = values.map(normalizeTerm);
  while (terms.length > 1 && terms[terms.length - 1] === '') terms.pop();
  return terms.length === 1 && terms[0] === '' ? [] : terms;
}

const codecs = new Map<string, Codec>();

function codecFor(charsets: string | readonly string[] | undefined): Codec {
  const terms = parseCharacterSets(charsets);
  const key = terms.join('\\');
  let codec = codecs.get(key);
  if (!codec) {
    codec = compile(terms);
    codecs.set(key, codec);
  }
  return codec;
}

function compile(terms: readonly string[]): Codec {
  const first = terms[0] ?? '';
  const label = STAND_ALONE.get(first);
  // Stand-alone sets cannot take part in code extension (PS3.5 6.1.2.5.4 d); later values are ignored.
  if (label) return { kind: 'stand-alone', term: first, label };
  const initial = ISO_2022_SETS.get(irNumber(first) ?? 6) ?? {};
  const declared: CodeElement[] = [];
  for (const term of terms) {
    const sets = ISO_2022_SETS.get(irNumber(term) ?? 6);
    if (!sets) continue;
    for (const element of [sets.g0, sets.g1]) {
      if (element && !declared.includes(element)) declared.push(element);
    }
  }
  const g0 = initial.g0 && initial.g0.bytesPerChar === 1 ? initial.g0 : ASCII;
  const g1 = initial.g1;
  const fallbackG1 = g1 ?? declared.find((e) => e.slot === 1) ?? singleByteG1('latin-1', 0x41, undefined);
  return { kind: 'iso2022', g0, g1, fallbackG1, declared };
}

/** Bytes after which the initial character sets are active again, for values of this VR. */
function delimitersFor(vr: string): ReadonlySet<number> {
  const delimiters = [0x09, 0x0a, 0x0c, 0x0d];
  if (vr !== 'LT' && vr !== 'ST' && vr !== 'UT' && vr !== 'UR') delimiters.push(0x5c);
  if (vr === 'PN') delimiters.push(0x5e, 0x3d);
  return new Set(delimiters);
}

function matchEscape(bytes: Uint8Array, at: number): CodeElement | undefined {
  return ALL_ELEMENTS.find((element) => element.escape.every((b, i) => bytes[at + 1 + i] === b));
}

function decodeIso2022(bytes: Uint8Array, codec: Extract<Codec, { kind: 'iso2022' }>, vr: string): string {
  const plain = bytes.every((b) => b < 0x80 && b !== ESC);
  if (plain) return latin1(bytes);
  const delimiters = delimitersFor(vr);
  let g0 = codec.g0;
  let g1 = codec.g1;
  let text = '';
  let run: number[] = [];
  let runElement: CodeElement = g0;
  const push = (element: CodeElement, ...codes: number[]): void => {
    if (element !== runElement) {
      if (run.length > 0) text += runElement.decode(Uint8Array.from(run));
      run = [];
      runElement = element;
    }
    run.push(...codes);
  };
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i] ?? 0;
    if (byte === ESC) {
      const element = matchEscape(bytes, i);
      if (element?.slot === 0) g0 = element;
      else if (element) g1 = element;
      i += 1 + (element?.escape.length ?? 0);
    } else if (byte < 0x80) {
      if (g0.bytesPerChar === 2 && byte >= 0x21 && byte < 0x7f) {
        if (i + 1 < bytes.length) push(g0, byte, bytes[i + 1] ?? 0);
        i += 2;
        continue;
      }
      push(g0.bytesPerChar === 2 ? ASCII : g0, byte);
      if (delimiters.has(byte)) {
        g0 = codec.g0;
        g1 = codec.g1;
      }
      i += 1;
    } else {
      const element = g1 ?? codec.fallbackG1;
      if (element.bytesPerChar === 2) {
        if (i + 1 < bytes.length) push(element, byte, bytes[i + 1] ?? 0);
        i += 2;
      } else {
        push(element, byte);
        i += 1;
      }
    }
  }
  if (run.length > 0) text += runElement.decode(Uint8Array.from(run));
  return text;
}

/**
 * Decodes the bytes of a text value under (0008,0005) (a raw backslash-separated string or its values). `vr`
 * decides where escape sequences stop applying: pass 'PN' for person names, 'LT'/'ST'/'UT' for free text.
 */
export function decodeText(
  bytes: Uint8Array,
  charsets: string | readonly string[] | undefined,
  vr = 'LO',
): string {
  const codec = codecFor(charsets);
  if (codec.kind === 'stand-alone') return textDecoder(codec.label).decode(bytes);
  return decodeIso2022(bytes, codec, vr);
}

function encodeIso2022(
  text: string,
  codec: Extract<Codec, { kind: 'iso2022' }>,
  vr: string,
  sets: string,
): number[] {
  const delimiters = delimitersFor(vr);
  const out: number[] = [];
  let g0 = codec.g0;
  let g1 = codec.g1;
  const designate = (element: CodeElement): void => {
    out.push(ESC, ...element.escape);
    if (element.slot === 0) g0 = element;
    else g1 = element;
  };
  const restoreInitial = (): void => {
    if (g0 !== codec.g0) designate(codec.g0);
    if (g1 !== codec.g1 && codec.g1) designate(codec.g1);
    g1 = codec.g1;
  };
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    if (cp < 0x80) {
      if (delimiters.has(cp)) restoreInitial();
      else if (g0.bytesPerChar === 2) designate(codec.g0);
      out.push(cp);
      continue;
    }
    const candidates = [g1, g0.bytesPerChar === 2 ? g0 : undefined, ...codec.declared];
    let encoded: number[] | undefined;
    for (const element of candidates) {
      encoded = element?.encode(cp);
      if (element && encoded) {
        if (element !== (element.slot === 0 ? g0 : g1)) designate(element);
        break;
      }
    }
    if (!encoded) {
      throw new RangeError(`'${char}' cannot be encoded with Specific Character Set '${sets || 'ISO_IR 6'}'`);
    }
    out.push(...encoded);
  }
  restoreInitial();
  return out;
}

/**
 * Encodes a text value for (0008,0005), the inverse of decodeText: UTF-8, GB18030 and GBK directly, the ISO 2022
 * sets with the escape sequences PS3.5 requires (a fresh designation in every PN component and value). Throws a
 * RangeError naming the first character the declared sets cannot represent.
 */
export function encodeText(
  text: string,
  charsets: string | readonly string[] | undefined,
  vr = 'LO',
): Uint8Array {
  const codec = codecFor(charsets);
  if (codec.kind === 'stand-alone') {
    if (codec.label === 'utf-8') return new TextEncoder().encode(text);
    return encodeGb(text, codec.label === 'gb18030');
  }
  const sets = parseCharacterSets(charsets).join('\\');
  return Uint8Array.from(encodeIso2022(text, codec, vr, sets));
}
