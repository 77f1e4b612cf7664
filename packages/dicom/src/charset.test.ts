import { describe, expect, it } from 'vitest';
import { decodeText, encodeText, parseCharacterSets } from './charset.js';

const ESC = 0x1b;
const bytes = (...values: (number | string)[]): Uint8Array =>
  Uint8Array.from(
    values.flatMap((v) => (typeof v === 'string' ? Array.from(v, (c) => c.charCodeAt(0)) : [v])),
  );
const hex = (text: string): Uint8Array => Uint8Array.from(text.split(' ').map((h) => Number.parseInt(h, 16)));

/** 张三 in GB 2312, which GBK and GB18030 contain unchanged. */
const ZHANG_SAN = [0xd5, 0xc5, 0xc8, 0xfd];

describe('Chinese character sets', () => {
  it('decodes 张三 from GB18030, from GBK, and from ISO 2022 IR 58 with escapes', () => {
    expect(decodeText(bytes(...ZHANG_SAN), 'GB18030', 'PN')).toBe('张三');
    expect(decodeText(bytes(...ZHANG_SAN), 'GBK', 'PN')).toBe('张三');
    const ir58 = bytes(ESC, 0x24, 0x29, 0x41, ...ZHANG_SAN);
    expect(decodeText(ir58, ['', 'ISO 2022 IR 58'], 'PN')).toBe('张三');
    expect(decodeText(ir58, ['ISO 2022 IR 6', 'ISO 2022 IR 58'], 'PN')).toBe('张三');
    expect(decodeText(bytes(ESC, 0x28, 0x42, ...ir58, ESC, 0x28, 0x42), '\\ISO 2022 IR 58', 'PN')).toBe(
      '张三',
    );
  });

  it('reads the GB18030 person name example of PS3.5 Annex J', () => {
    const encoded = hex('57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d cd f5 5e d0 a1 b6 ab 3d');
    expect(decodeText(encoded, 'GB18030', 'PN')).toBe('Wang^XiaoDong=王^小东=');
    expect(encodeText('Wang^XiaoDong=王^小东=', 'GB18030', 'PN')).toEqual(encoded);
  });

  it('writes and reads the GB2312 person name example of PS3.5 Annex K, a fresh escape per component', () => {
    const encoded = hex(
      '5A 68 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D 1B 24 29 41 D5 C5 5E 1B 24 29 41 D0 A1 B6 AB 3D',
    );
    expect(encodeText('Zhang^XiaoDong=张^小东=', ['', 'ISO 2022 IR 58'], 'PN')).toEqual(encoded);
    expect(decodeText(encoded, ['', 'ISO 2022 IR 58'], 'PN')).toBe('Zhang^XiaoDong=张^小东=');
  });

  it('reads the GB2312 long text example of PS3.5 Annex K, lines switching back with ESC ( B', () => {
    const line = (digit: number, char: number[]): number[] => [
      0x30 + digit,
      0x2e,
      ESC,
      0x24,
      0x29,
      0x41,
      0xb5,
      0xda,
      ...char,
      0xd0,
      0xd0,
      0xce,
      0xc4,
      0xd7,
      0xd6,
      0xa1,
      0xa3,
      ESC,
      0x28,
      0x42,
      0x0d,
      0x0a,
    ];
    const text = bytes(...line(1, [0xd2, 0xbb]), ...line(2, [0xb6, 0xfe]), ...line(3, [0xc8, 0xfd]));
    expect(decodeText(text, ['', 'ISO 2022 IR 58'], 'LT')).toBe(
      '1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n',
    );
  });

  it('encodes GB18030 four-byte characters and reads them back', () => {
    // ¥ lies outside the two-byte area; 𠀀 is outside the BMP.
    expect(encodeText('¥', 'GB18030')).toEqual(hex('81 30 84 36'));
    expect(encodeText('𠀀', 'GB18030')).toEqual(hex('95 32 82 36'));
    const text = '张三 ¥ 𠀀 Müller 醫院 한국';
    expect(decodeText(encodeText(text, 'GB18030'), 'GB18030')).toBe(text);
  });

  it('refuses characters GBK cannot hold rather than writing something else', () => {
    expect(encodeText('张三', 'GBK')).toEqual(bytes(...ZHANG_SAN));
    expect(() => encodeText('𠀀', 'GBK')).toThrow(/GBK/);
  });

  it('keeps a 0x5C trail byte inside its character instead of splitting values there', () => {
    // 乗 is 0x81 0x5C in GBK: a byte-level split on backslash would cut it in half.
    const encoded = encodeText('乗\\乗', 'GB18030');
    expect(Array.from(encoded)).toContain(0x5c);
    expect(decodeText(encoded, 'GB18030').split('\\')).toEqual(['乗', '乗']);
  });
});

describe('other character sets', () => {
  it('reads UTF-8 and Latin-1', () => {
    expect(decodeText(new TextEncoder().encode('王^小東'), 'ISO_IR 192', 'PN')).toBe('王^小東');
    expect(decodeText(bytes('Buc^J', 0xe9, 'r', 0xf4, 'me'), 'ISO_IR 100', 'PN')).toBe('Buc^Jérôme');
    expect(encodeText('Buc^Jérôme', 'ISO_IR 100', 'PN')).toEqual(bytes('Buc^J', 0xe9, 'r', 0xf4, 'me'));
  });

  it('reads the ISO 8859 family through its DICOM names', () => {
    expect(decodeText(bytes(0xbb, 0xee, 0xda), 'ISO_IR 144')).toBe('Люк');
    expect(decodeText(bytes(0xc4, 0xe9, 0xef), 'ISO_IR 126')).toBe('Διο');
    expect(decodeText(bytes(0xf9, 0xf8, 0xe5, 0xef), 'ISO_IR 138')).toBe('שרון');
  });

  it('writes and reads Japanese with JIS X 0208 escapes (pydicom chrH31)', () => {
    const encoded = hex(
      '59 61 6d 61 64 61 5e 54 61 72 6f 75 3d 1b 24 42 3b 33 45 44 1b 28 42 5e 1b 24 42 42 40 4f 3a 1b 28 42 3d ' +
        '1b 24 42 24 64 24 5e 24 40 1b 28 42 5e 1b 24 42 24 3f 24 6d 24 26 1b 28 42',
    );
    const name = 'Yamada^Tarou=山田^太郎=やまだ^たろう';
    expect(decodeText(encoded, ['', 'ISO 2022 IR 87'], 'PN')).toBe(name);
    expect(encodeText(name, ['', 'ISO 2022 IR 87'], 'PN')).toEqual(encoded);
  });

  it('writes and reads half-width katakana with JIS X 0201 (pydicom chrH32)', () => {
    const encoded = hex(
      'd4 cf c0 de 5e c0 db b3 3d 1b 24 42 3b 33 45 44 1b 28 4a 5e 1b 24 42 42 40 4f 3a 1b 28 4a 3d 1b 24 42 24 ' +
        '64 24 5e 24 40 1b 28 4a 5e 1b 24 42 24 3f 24 6d 24 26 1b 28 4a',
    );
    const name = 'ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう';
    const charsets = ['ISO 2022 IR 13', 'ISO 2022 IR 87'];
    expect(decodeText(encoded, charsets, 'PN')).toBe(name);
    expect(encodeText(name, charsets, 'PN')).toEqual(encoded);
  });

  it('writes and reads Korean with KS X 1001 in G1 (pydicom chrI2)', () => {
    const encoded = hex(
      '48 6f 6e 67 5e 47 69 6c 64 6f 6e 67 3d 1b 24 29 43 fb f3 5e 1b 24 29 43 d1 ce d4 d7 3d 1b 24 29 43 c8 ab ' +
        '5e 1b 24 29 43 b1 e6 b5 bf',
    );
    const name = 'Hong^Gildong=洪^吉洞=홍^길동';
    expect(decodeText(encoded, '\\ISO 2022 IR 149', 'PN')).toBe(name);
    expect(encodeText(name, '\\ISO 2022 IR 149', 'PN')).toEqual(encoded);
  });

  it('returns to the initial sets at each value delimiter', () => {
    // Latin-1 initially; the first value switches G1 to Cyrillic, the second must be Latin-1 again.
    const encoded = bytes(ESC, 0x2d, 0x4c, 0xbb, '\\', 0xe9);
    expect(decodeText(encoded, ['ISO 2022 IR 100', 'ISO 2022 IR 144'], 'LO')).toBe('Л\\é');
    expect(
      decodeText(encodeText('Л\\é', ['ISO 2022 IR 100', 'ISO 2022 IR 144']), [
        'ISO 2022 IR 100',
        'ISO 2022 IR 144',
      ]),
    ).toBe('Л\\é');
  });

  it('reads GB2312 bytes whose component forgot its escape, as the declared G1 set', () => {
    const lenient = bytes(ESC, 0x24, 0x29, 0x41, 0xd5, 0xc5, '^', 0xc8, 0xfd);
    expect(decodeText(lenient, ['', 'ISO 2022 IR 58'], 'PN')).toBe('张^三');
  });

  it('reads bytes above 0x7F under the default repertoire as Latin-1 instead of dropping them', () => {
    expect(decodeText(bytes('M', 0xfc, 'ller'), undefined)).toBe('Müller');
    expect(decodeText(bytes('ABC'), 'NO SUCH CHARSET')).toBe('ABC');
  });

  it('refuses to encode what the declared sets cannot represent', () => {
    expect(() => encodeText('张三', 'ISO_IR 100')).toThrow(/cannot be encoded/);
    expect(() => encodeText('é', '')).toThrow(/ISO_IR 6/);
  });
});

describe('parseCharacterSets', () => {
  it('keeps an empty first value and tolerates common misspellings', () => {
    expect(parseCharacterSets('\\ISO 2022 IR 87')).toEqual(['', 'ISO 2022 IR 87']);
    expect(parseCharacterSets('ISO-IR 100')).toEqual(['ISO_IR 100']);
    expect(parseCharacterSets('iso 2022 ir 58')).toEqual(['ISO 2022 IR 58']);
    expect(parseCharacterSets(['GB18030'])).toEqual(['GB18030']);
    expect(parseCharacterSets('')).toEqual([]);
    expect(parseCharacterSets(undefined)).toEqual([]);
  });
});
