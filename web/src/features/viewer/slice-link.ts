/**
 * Linked scrolling between two series (the current study and a prior, or two series of one study): the slice of the
 * other series nearest in patient position, or the same fraction of the stack when positions cannot say.
 */

/** Where each image of a series lies, as far as its headers tell. */
export interface SliceGeometry {
  /** the slices' normal (row cosine x column cosine), when every image has the same orientation */
  normal: [number, number, number] | null;
  /** Image Position (Patient) of each image, or null when an image has none */
  positions: ([number, number, number] | null)[];
  /** Slice Location of each image, or null when an image has none */
  locations: (number | null)[];
}

// series whose normals differ by more than about 8 degrees are not taken as parallel
const PARALLEL = 0.99;

type Vector = [number, number, number];

const dot = (a: Vector, b: Vector): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** The normal of an Image Orientation (Patient) (row then column cosines); null if it is not six numbers. */
export function normalOf(orientation: readonly number[] | null): Vector | null {
  if (!orientation || orientation.length !== 6 || orientation.some((v) => !Number.isFinite(v))) return null;
  const [rx, ry, rz, cx, cy, cz] = orientation as [number, number, number, number, number, number];
  const n: Vector = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
  const length = Math.hypot(...n);
  return length > 0 ? [n[0] / length, n[1] / length, n[2] / length] : null;
}

/** Each image's distance along `normal`, or null when one of them has no position. */
function distances(geometry: SliceGeometry, normal: Vector): number[] | null {
  const out: number[] = [];
  for (const p of geometry.positions) {
    if (!p) return null;
    out.push(dot(p, normal));
  }
  return out;
}

/** Each image's Slice Location, or null when one of them has none. */
function locationsOf(geometry: SliceGeometry): number[] | null {
  return geometry.locations.every((l): l is number => l !== null) ? geometry.locations : null;
}

function nearest(values: readonly number[], wanted: number): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    if (Math.abs((values[i] ?? 0) - wanted) < Math.abs((values[best] ?? 0) - wanted)) best = i;
  }
  return best;
}

/** How a linked slice was found: by position along the normal, by Slice Location, or by fraction of the stack. */
export type LinkedBy = 'position' | 'location' | 'fraction';

/**
 * The image of `to` (of `toCount` images) that goes with image `index` of `from` (of `fromCount`): the nearest by
 * patient position along the normal when both series are parallel and every image has a position, else the nearest
 * Slice Location, else the same fraction of the stack.
 */
export function linkedSlice(
  from: SliceGeometry | null,
  fromCount: number,
  index: number,
  to: SliceGeometry | null,
  toCount: number,
): { index: number; by: LinkedBy } {
  if (toCount <= 1) return { index: 0, by: 'fraction' };
  if (from && to && from.positions.length === fromCount && to.positions.length === toCount) {
    if (from.normal && to.normal && Math.abs(dot(from.normal, to.normal)) >= PARALLEL) {
      const source = from.positions[index];
      const targets = distances(to, to.normal);
      if (source && targets) return { index: nearest(targets, dot(source, to.normal)), by: 'position' };
    }
    const sourceLocation = from.locations[index];
    const targetLocations = locationsOf(to);
    const parallel = !from.normal || !to.normal || Math.abs(dot(from.normal, to.normal)) >= PARALLEL;
    if (parallel && sourceLocation != null && targetLocations) {
      return { index: nearest(targetLocations, sourceLocation), by: 'location' };
    }
  }
  const fraction = fromCount > 1 ? index / (fromCount - 1) : 0;
  return { index: Math.round(fraction * (toCount - 1)), by: 'fraction' };
}
