import { describe, expect, it } from 'vitest';
import type { SpooledInstance } from '../spool/spooled-instance.js';
import { stowAnswer } from '../test/stow-peer.js';
import { classifyStowAnswer, type SentInstance } from './stow-outcome.js';

function sent(sop: string): SentInstance {
  const instance: SpooledInstance = {
    path: `/x/${sop}`,
    fileName: `1_${sop}_r.dcm`,
    studyInstanceUid: '1',
    sopInstanceUid: sop,
    receipt: 'r',
    size: 10,
  };
  return { instance, sopInstanceUid: sop };
}

const uids = (list: readonly SpooledInstance[]): string[] => list.map((i) => i.sopInstanceUid);

describe('reading the api STOW-RS answer', () => {
  const batch = [sent('1.1'), sent('1.2'), sent('1.3'), sent('1.4')];

  it('200: everything is stored, with or without a body', () => {
    expect(uids(classifyStowAnswer(batch, 200, undefined).forwarded)).toEqual(['1.1', '1.2', '1.3', '1.4']);
    const outcome = classifyStowAnswer(batch, 200, stowAnswer(['1.1', '1.2', '1.3', '1.4']));
    expect(outcome.retry).toEqual([]);
    expect(outcome.problem).toBeUndefined();
  });

  it('202: stored instances are done, transient failures retried, permanent ones rejected, unmentioned retried', () => {
    const outcome = classifyStowAnswer(
      batch,
      202,
      stowAnswer(
        ['1.1'],
        [
          { uid: '1.2', reason: 0xa700 },
          { uid: '1.3', reason: 0xc000 },
        ],
      ),
    );
    expect(uids(outcome.forwarded)).toEqual(['1.1']);
    expect(uids(outcome.retry)).toEqual(['1.2', '1.4']);
    expect(outcome.rejected.map((r) => [r.instance.sopInstanceUid, r.rejection.failureReason])).toEqual([
      ['1.3', 0xc000],
    ]);
    expect(outcome.rejected[0]?.rejection.message).toContain('cannot understand');
    expect(outcome.problem).toContain('out of resources');
  });

  it('409: processing failures are retried; duplicates count as already stored', () => {
    const outcome = classifyStowAnswer(
      batch.slice(0, 3),
      409,
      stowAnswer(
        [],
        [
          { uid: '1.1', reason: 0x0110 },
          { uid: '1.2', reason: 0x0111 },
          { uid: '1.3', reason: 0xa900 },
        ],
      ),
    );
    expect(uids(outcome.retry)).toEqual(['1.1']);
    expect(uids(outcome.forwarded)).toEqual(['1.2']);
    expect(uids(outcome.rejected.map((r) => r.instance))).toEqual(['1.3']);
  });

  it('any other status retries the whole batch and nothing leaves the spool', () => {
    for (const status of [400, 403, 413, 500, 503]) {
      const outcome = classifyStowAnswer(batch, status, stowAnswer(['1.1']));
      expect(uids(outcome.retry)).toHaveLength(4);
      expect(outcome.forwarded).toEqual([]);
      expect(outcome.problem).toContain(String(status));
    }
  });

  it('a 202 or 409 without a readable body retries everything', () => {
    expect(uids(classifyStowAnswer(batch, 409, 'not json').retry)).toHaveLength(4);
    expect(uids(classifyStowAnswer(batch, 202, { unexpected: true }).retry)).toHaveLength(4);
  });
});
