import { frameBytes, generateSeries, parsePart10, readHeaderSummary } from '@telemed/dicom';
import { describe, expect, it } from 'vitest';
import { deidentifyForUpload, newPseudonymisation } from './deidentify-upload';

const text = (bytes: Uint8Array): string => new TextDecoder('latin1').decode(bytes);
const ascii = (s: string): string => text(new TextEncoder().encode(s));

describe('de-identification before sending', () => {
  const files = [
    ...generateSeries({
      modality: 'CT',
      slices: 4,
      rows: 16,
      columns: 16,
      seed: 21,
      patientName: 'HASAN^ABLIMIT',
      patientId: 'QC-20260001',
      patientBirthDate: '19610203',
      institutionName: 'QINGCHUAN COUNTY PEOPLES HOSPITAL',
      charset: 'ISO_IR 100',
    }),
  ];
  const p = newPseudonymisation();
  const out = files.map((f) => deidentifyForUpload(f, p));

  it('replaces name, ID, birth date and institution by the pseudonym or nothing, in the bytes sent', () => {
    for (const { bytes } of out) {
      const raw = text(bytes);
      for (const secret of ['HASAN', 'ABLIMIT', 'QC-20260001', '19610203', 'QINGCHUAN']) {
        expect(raw).not.toContain(ascii(secret));
      }
      const h = readHeaderSummary(bytes);
      expect(h.patientName).toBe(p.pseudonym);
      expect(h.patientId).toBe(p.pseudonym);
      expect(h.patientBirthDate).toBe('');
      // PS3.15 E.1.1: the instance says it was de-identified, and by which profile
      const json = parsePart10(bytes).json;
      expect(json['00120062']?.Value).toEqual(['YES']);
    }
    // the original did carry them: the test would notice a generator that wrote none
    expect(text(files[0] ?? new Uint8Array())).toContain(ascii('QC-20260001'));
  });

  it('gives the study and series new UIDs, the same in every file, and each instance its own', () => {
    const before = files.map((f) => readHeaderSummary(f));
    const studies = new Set(out.map((o) => o.studyInstanceUid));
    const series = new Set(out.map((o) => o.seriesInstanceUid));
    expect(studies.size).toBe(1);
    expect(series.size).toBe(1);
    expect(studies.has(before[0]?.studyInstanceUid ?? '')).toBe(false);
    expect(new Set(out.map((o) => o.sopInstanceUid)).size).toBe(4);
    // a second pass with the same key (a file added later) lands in the same study
    expect(deidentifyForUpload(files[1] ?? new Uint8Array(), p).studyInstanceUid).toBe([...studies][0]);
    // another upload's key gives other UIDs: the mapping cannot be recomputed without the key
    expect(
      deidentifyForUpload(files[1] ?? new Uint8Array(), newPseudonymisation()).studyInstanceUid,
    ).not.toBe([...studies][0]);
  });

  it('keeps the pixels as they were', () => {
    const pixels = (b: Uint8Array): number[] => {
      const parsed = parsePart10(b);
      return Array.from(frameBytes(b, parsed.frames[0] ?? { offset: 0, length: 0 }));
    };
    out.forEach((o, i) => {
      expect(pixels(o.bytes)).toEqual(pixels(files[i] ?? new Uint8Array()));
    });
  });
});
