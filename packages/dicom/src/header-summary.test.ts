import { describe, expect, it } from 'vitest';
import { generateSeries } from './generator.js';
import { HEADER_PREFIX_BYTES, readHeaderSummary } from './header-summary.js';
import { DicomError } from './types.js';

const first = (options: Parameters<typeof generateSeries>[0]): Uint8Array => {
  const [bytes] = [...generateSeries({ ...options, slices: 1 })];
  if (!bytes) throw new Error('no slice generated');
  return bytes;
};

describe('readHeaderSummary', () => {
  it('reads patient, study and series from the start of a file, names in their own character set', () => {
    for (const charset of ['GB18030', 'ISO_IR 192'] as const) {
      const bytes = first({
        modality: 'CT',
        slices: 1,
        charset,
        patientName: '艾力^买买提',
        patientId: 'XJ-77',
      });
      const header = readHeaderSummary(bytes.subarray(0, Math.min(bytes.length, HEADER_PREFIX_BYTES)));
      expect(header).toMatchObject({
        patientName: '艾力^买买提',
        patientId: 'XJ-77',
        modality: 'CT',
        numberOfFrames: 1,
      });
      expect(header.studyInstanceUid).toMatch(/^[0-9.]+$/);
      expect(header.seriesInstanceUid).toMatch(/^[0-9.]+$/);
      expect(header.sopInstanceUid).toMatch(/^[0-9.]+$/);
    }
  });

  it('says a file that is not DICOM is not, and a prefix that ends inside the header asks for more', () => {
    const text = new TextEncoder().encode('这不是影像文件 '.repeat(40));
    expect(() => readHeaderSummary(text)).toThrow(DicomError);
    expect(() => readHeaderSummary(text)).toThrow(/not a DICOM Part 10 file/);
    const bytes = first({ modality: 'MR', slices: 1 });
    try {
      readHeaderSummary(bytes.subarray(0, 300));
      expect.unreachable('a 300-byte prefix cannot hold the header');
    } catch (error) {
      expect((error as DicomError).reason).toBe('truncated');
    }
  });
});
