import { describe, expect, it } from 'vitest';
import type { SpooledInstance } from '../spool/spooled-instance.js';
import { nextBatch } from './batches.js';

function instance(study: string, sop: string, receipt: string, size = 100): SpooledInstance {
  return {
    path: `/spool/incoming/${study}_${sop}_${receipt}.dcm`,
    fileName: `${study}_${sop}_${receipt}.dcm`,
    studyInstanceUid: study,
    sopInstanceUid: sop,
    receipt,
    size,
  };
}

describe('batching', () => {
  it('sends the study of the oldest instance, in the order received', () => {
    const pending = [
      instance('1.1', '1.1.1', 'a'),
      instance('2.2', '2.2.1', 'b'),
      instance('1.1', '1.1.2', 'c'),
    ];
    expect(nextBatch(pending, 10_000)?.map((i) => i.sopInstanceUid)).toEqual(['1.1.1', '1.1.2']);
  });

  it('stops at the byte limit but always sends at least one instance', () => {
    const pending = [
      instance('1', '1.1', 'a', 600),
      instance('1', '1.2', 'b', 600),
      instance('1', '1.3', 'c', 300),
    ];
    expect(nextBatch(pending, 1000)?.map((i) => i.sopInstanceUid)).toEqual(['1.1']);
    expect(nextBatch([instance('1', '1.1', 'a', 5000)], 1000)?.map((i) => i.sopInstanceUid)).toEqual(['1.1']);
  });

  it('keeps a second copy of an instance for a later request', () => {
    const pending = [instance('1', '1.1', 'a'), instance('1', '1.1', 'b'), instance('1', '1.2', 'c')];
    expect(nextBatch(pending, 10_000)?.map((i) => i.receipt)).toEqual(['a', 'c']);
  });

  it('has nothing to send from an empty spool', () => {
    expect(nextBatch([], 1000)).toBeUndefined();
  });
});
