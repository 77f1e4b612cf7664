/**
 * The patient direction a screen axis points to, as the letters readers know (R/L, A/P, H/F), from a direction
 * cosine of Image Orientation (Patient): the strongest component first, a second one if it is large enough.
 */
export function directionLetters([x, y, z]: readonly [number, number, number]): string {
  const parts: [number, string][] = [
    [x, x > 0 ? 'L' : 'R'],
    [y, y > 0 ? 'P' : 'A'],
    [z, z > 0 ? 'H' : 'F'],
  ];
  return parts
    .filter(([v]) => Math.abs(v) > 0.3)
    .sort((a, b) => Math.abs(b[0]) - Math.abs(a[0]))
    .map(([, letter]) => letter)
    .join('');
}

const opposite = (letters: string): string =>
  letters.replace(/./g, (c) => ({ L: 'R', R: 'L', A: 'P', P: 'A', H: 'F', F: 'H' })[c] ?? c);

/** The letters at the four edges of the viewport: top, right, bottom, left. */
export interface EdgeMarkers {
  top: string;
  right: string;
  bottom: string;
  left: string;
}

/**
 * The orientation markers of an image whose Image Orientation (Patient) is `orientation` (row then column cosines),
 * as drawn after the viewport's flips and its rotation in quarter turns clockwise; null without an orientation.
 */
export function edgeMarkers(
  orientation: readonly number[] | null,
  view: { rotation: number; hflip: boolean; vflip: boolean },
): EdgeMarkers | null {
  if (!orientation || orientation.length !== 6 || orientation.some((v) => !Number.isFinite(v))) return null;
  const [rx, ry, rz, cx, cy, cz] = orientation as [number, number, number, number, number, number];
  let right = directionLetters([rx, ry, rz]);
  let bottom = directionLetters([cx, cy, cz]);
  if (view.hflip) right = opposite(right);
  if (view.vflip) bottom = opposite(bottom);
  let edges: EdgeMarkers = { top: opposite(bottom), right, bottom, left: opposite(right) };
  const quarters = ((Math.round(view.rotation / 90) % 4) + 4) % 4;
  for (let i = 0; i < quarters; i++) {
    // a clockwise quarter turn brings what was on the left to the top
    edges = { top: edges.left, right: edges.top, bottom: edges.right, left: edges.bottom };
  }
  return edges;
}
