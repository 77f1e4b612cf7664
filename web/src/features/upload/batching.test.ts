import { generateSeries, newBoundary, readHeaderSummary } from '@telemed/dicom';
import { readMultipart } from '@telemed/dicom/node';
import { describe, expect, it } from 'vitest';
import { assignBatches, batchBody, batchContentType, BATCH_TARGET_BYTES } from './batching';

const MB = 1024 * 1024;

describe('batching files into STOW-RS bodies', () => {
  it('cuts 3,000 files of half a MB into batches of at most a few MB, keeping every file once and in order', () => {
    const files = Array.from({ length: 3000 }, (_, i) => ({
      index: i,
      size: 520_000,
      seriesInstanceUid: i < 1000 ? 'A' : 'B',
    }));
    const batches = assignBatches(files);
    expect(batches.flatMap((b) => b.files)).toEqual(files.map((f) => f.index));
    for (const b of batches) expect(b.bytes).toBeLessThanOrEqual(BATCH_TARGET_BYTES);
    // a few hundred uploads, not 3,000: each costs round trips on a satellite link
    expect(batches.length).toBe(Math.ceil(3000 / Math.floor(BATCH_TARGET_BYTES / 520_000)));
    expect(batches.reduce((n, b) => n + (b.perSeries.A ?? 0), 0)).toBe(1000);
    expect(batches.reduce((n, b) => n + (b.perSeries.B ?? 0), 0)).toBe(2000);
  });

  it('sends a file larger than the target alone, and does not leave an empty batch', () => {
    const batches = assignBatches(
      [
        { index: 0, size: 1 * MB, seriesInstanceUid: 's' },
        { index: 1, size: 300 * MB, seriesInstanceUid: 's' },
        { index: 2, size: 1 * MB, seriesInstanceUid: 's' },
      ],
      4 * MB,
    );
    expect(batches.map((b) => b.files)).toEqual([[0], [1], [2]]);
    expect(assignBatches([])).toEqual([]);
    expect(() => assignBatches([], 0)).toThrow(/positive/);
  });

  it('builds a body the archive reads back as the same Part 10 files, one part each', async () => {
    const files = [...generateSeries({ modality: 'CT', slices: 3, rows: 16, columns: 16, seed: 11 })];
    const boundary = newBoundary();
    const body = batchBody(
      files.map((f) => new Blob([f as Uint8Array<ArrayBuffer>])),
      boundary,
    );
    expect(body.type).toBe(batchContentType(boundary));
    async function* stream(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(await body.arrayBuffer());
    }
    const parts = [];
    for await (const part of readMultipart(stream(), boundary, { maxPartBytes: MB })) parts.push(part);
    expect(parts.map((p) => p.headers['content-type'])).toEqual(Array(3).fill('application/dicom'));
    expect(parts.map((p) => readHeaderSummary(new Uint8Array(p.body ?? [])).sopInstanceUid)).toEqual(
      files.map((f) => readHeaderSummary(f).sopInstanceUid),
    );
  });
});
