import { describe, expect, it } from 'vitest';
import { formatTag, keywordOf, normalizeTag, Tag, tagInfo, vrOf } from './tags.js';

describe('data dictionary', () => {
  it('names the attributes the archive indexes and QIDO matches on', () => {
    expect(Tag.PatientName).toBe('00100010');
    expect(Tag.StudyInstanceUID).toBe('0020000D');
    expect(Tag.SeriesDescription).toBe('0008103E');
    expect(Tag.ModalitiesInStudy).toBe('00080061');
    expect(Tag.PixelData).toBe('7FE00010');
    expect(Tag.TransferSyntaxUID).toBe('00020010');
    expect(tagInfo('0020000D')).toEqual({ tag: '0020000D', vr: 'UI', keyword: 'StudyInstanceUID' });
    expect(keywordOf('(0008,0005)')).toBe('SpecificCharacterSet');
  });

  it('keeps every entry to 8 upper-case hex digits and a two-letter VR', () => {
    for (const tag of Object.values(Tag)) {
      expect(tag).toMatch(/^[0-9A-F]{8}$/);
      expect(tagInfo(tag)?.vr).toMatch(/^[A-Z]{2}$/);
    }
  });

  it('normalises the usual ways of writing a tag', () => {
    expect(normalizeTag('(0010,0010)')).toBe('00100010');
    expect(normalizeTag('x0020000d')).toBe('0020000D');
    expect(formatTag('7FE00010')).toBe('(7FE0,0010)');
  });
});

describe('VR lookup for implicit VR files', () => {
  it('uses the dictionary for known tags', () => {
    expect(vrOf('00100010')).toBe('PN');
    expect(vrOf('x00280010')).toBe('US');
    expect(vrOf('00081115')).toBe('SQ');
  });

  it('derives group lengths, private creators and overlays without a table', () => {
    expect(vrOf('00090000')).toBe('UL');
    expect(vrOf('00290010')).toBe('LO');
    expect(vrOf('60003000')).toBe('OW');
    expect(vrOf('60020010')).toBe('US');
  });

  it('reads unknown tags as UN so their bytes pass through untouched', () => {
    expect(vrOf('00291010')).toBe('UN');
    expect(vrOf('00431028')).toBe('UN');
  });

  it('resolves "US or SS" by Pixel Representation', () => {
    expect(vrOf('00280120')).toBe('US');
    expect(vrOf('00280120', 1)).toBe('SS');
  });
});
