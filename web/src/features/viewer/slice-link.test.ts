import { describe, expect, it } from 'vitest';
import { linkedSlice, normalOf, type SliceGeometry } from './slice-link';

const AXIAL = [1, 0, 0, 0, 1, 0];

/** An axial stack from `top` down in steps of `spacing` millimetres, as a CT writes it. */
function axial(count: number, top: number, spacing: number, orientation = AXIAL): SliceGeometry {
  const z = Array.from({ length: count }, (_, i) => top - i * spacing);
  return {
    normal: normalOf(orientation),
    positions: z.map((v) => [-175, -175, v]),
    locations: z,
  };
}

describe('linked scrolling', () => {
  it('goes to the slice nearest in patient position, not the same number or fraction', () => {
    // current: 60 slices from +172 mm; prior: 50 slices of 10 mm from +245 mm
    const current = axial(60, 172, 5.8);
    const prior = axial(50, 245, 10);
    expect(linkedSlice(current, 60, 0, prior, 50)).toEqual({ index: 7, by: 'position' });
    expect(linkedSlice(current, 60, 59, prior, 50)).toEqual({ index: 42, by: 'position' });
    // and back
    expect(linkedSlice(prior, 50, 7, current, 60)).toEqual({ index: 0, by: 'position' });
  });

  it('uses Slice Location when images have no position', () => {
    const current = { ...axial(10, 50, 10), positions: Array.from({ length: 10 }, () => null) };
    const prior = { ...axial(20, 50, 5), positions: Array.from({ length: 20 }, () => null) };
    expect(linkedSlice(current, 10, 3, prior, 20)).toEqual({ index: 6, by: 'location' });
  });

  it('falls back to the same fraction of the stack when positions are missing or the series are not parallel', () => {
    expect(linkedSlice(null, 11, 5, null, 21)).toEqual({ index: 10, by: 'fraction' });
    const sagittal = axial(21, 0, 1, [0, 1, 0, 0, 0, -1]);
    expect(linkedSlice(axial(11, 0, 1), 11, 10, sagittal, 21)).toEqual({ index: 20, by: 'fraction' });
    expect(linkedSlice(axial(11, 0, 1), 11, 4, axial(1, 0, 1), 1)).toEqual({ index: 0, by: 'fraction' });
  });
});
