import { describe, expect, it } from 'vitest';
import { directionLetters, edgeMarkers } from './orientation';

describe('orientation markers', () => {
  it('names an axial slice as a reader expects, and follows flips and quarter turns', () => {
    const axial = [1, 0, 0, 0, 1, 0];
    const plain = { rotation: 0, hflip: false, vflip: false };
    expect(edgeMarkers(axial, plain)).toEqual({ top: 'A', right: 'L', bottom: 'P', left: 'R' });
    expect(edgeMarkers(axial, { ...plain, hflip: true })).toEqual({
      top: 'A',
      right: 'R',
      bottom: 'P',
      left: 'L',
    });
    expect(edgeMarkers(axial, { ...plain, rotation: 90 })).toEqual({
      top: 'R',
      right: 'A',
      bottom: 'L',
      left: 'P',
    });
    expect(edgeMarkers([0, 1, 0, 0, 0, -1], plain)).toEqual({ top: 'H', right: 'P', bottom: 'F', left: 'A' });
    expect(edgeMarkers(null, plain)).toBeNull();
  });

  it('names an oblique axis by its two strongest directions', () => {
    expect(directionLetters([0.8, 0.6, 0])).toBe('LP');
    expect(directionLetters([-0.1, 0, -0.99])).toBe('F');
  });
});
