/**
 * Synthetic anatomy for generated series: ellipsoids in normalised patient coordinates (x to the patient's left,
 * y posterior, z superior, each in [-1, 1]) cut by axial planes. CT is a chest-abdomen body in Hounsfield units; MR
 * is the 3D Shepp-Logan head. Neighbouring slices cut the same ellipsoids, so the series reconstructs as a volume.
 */
import { seededRandom } from './random.js';

interface Ellipsoid {
  x: number;
  y: number;
  z: number;
  /** Semi-axes along x, y, z. */
  a: number;
  b: number;
  c: number;
  /** Rotation about z, in degrees. */
  phi: number;
  value: number;
}

function e(
  x: number,
  y: number,
  z: number,
  a: number,
  b: number,
  c: number,
  value: number,
  phi = 0,
): Ellipsoid {
  return { x, y, z, a, b, c, phi, value };
}

/** Chest and upper abdomen, values in HU, painted in order (later ellipsoids replace earlier ones). */
const BODY: readonly Ellipsoid[] = [
  e(0, 0.05, 0, 0.82, 0.58, 1.4, -100), // subcutaneous fat
  e(0, 0.05, 0, 0.75, 0.51, 1.4, 40), // muscle and soft tissue
  e(-0.33, -0.02, 0.55, 0.27, 0.36, 0.5, -850), // right lung
  e(0.35, -0.02, 0.55, 0.25, 0.36, 0.48, -850), // left lung
  e(0.08, -0.05, 0.35, 0.2, 0.18, 0.18, 45), // heart
  e(0.08, -0.05, 0.35, 0.1, 0.09, 0.1, 180, 30), // contrast in the ventricles
  e(0.06, 0.22, 0, 0.045, 0.045, 1.4, 200), // aorta
  e(-0.06, 0.2, -0.2, 0.04, 0.04, 0.9, 120), // inferior vena cava
  e(0, 0.36, 0, 0.1, 0.09, 1.4, 700), // vertebral bodies, cortex
  e(0, 0.36, 0, 0.08, 0.07, 1.4, 250), // vertebral bodies, marrow
  e(0, 0.47, 0, 0.035, 0.03, 1.4, 15), // spinal canal
  e(-0.33, 0.0, -0.15, 0.36, 0.3, 0.32, 60), // liver
  e(-0.42, -0.06, -0.12, 0.05, 0.05, 0.05, 95), // hypervascular liver lesion
  e(0.42, 0.12, -0.08, 0.12, 0.15, 0.2, 50), // spleen
  e(0.1, -0.08, -0.35, 0.18, 0.1, 0.12, 30), // stomach wall
  e(0.1, -0.1, -0.35, 0.14, 0.07, 0.08, -900), // air in the stomach
  e(-0.28, 0.3, -0.5, 0.08, 0.1, 0.18, 150), // right kidney
  e(0.28, 0.3, -0.48, 0.08, 0.1, 0.18, 150), // left kidney
  e(-0.5, 0.22, -0.95, 0.12, 0.22, 0.2, 700), // right iliac wing
  e(0.5, 0.22, -0.95, 0.12, 0.22, 0.2, 700), // left iliac wing
];

/**
 * The modified 3D Shepp-Logan head (Toft's contrast), values added where ellipsoids overlap; y is flipped from the
 * usual y-up drawing (and rotations with it) because image rows run posterior.
 */
const HEAD: readonly Ellipsoid[] = [
  e(0, 0, 0, 0.69, 0.92, 0.81, 1),
  e(0, 0.0184, 0, 0.6624, 0.874, 0.78, -0.8),
  e(0.22, 0, 0, 0.11, 0.31, 0.22, -0.2, 18),
  e(-0.22, 0, 0, 0.16, 0.41, 0.28, -0.2, -18),
  e(0, -0.35, -0.15, 0.21, 0.25, 0.41, 0.1),
  e(0, -0.1, 0.25, 0.046, 0.046, 0.05, 0.1),
  e(0, 0.1, 0.25, 0.046, 0.046, 0.05, 0.1),
  e(-0.08, 0.605, 0, 0.046, 0.023, 0.05, 0.1),
  e(0, 0.606, 0, 0.023, 0.023, 0.02, 0.1),
  e(0.06, 0.605, 0, 0.023, 0.046, 0.02, 0.1),
];

/** One axial cut to render. */
export interface SliceSpec {
  modality: 'CT' | 'MR';
  rows: number;
  columns: number;
  /** Normalised z of this slice: 1 at the top of the phantom, -1 at the bottom. */
  z: number;
  /** Seed for this slice's noise. */
  seed: number;
}

/** CT stores HU + 1024 in 12 bits (Rescale Intercept -1024); MR stores scaled Shepp-Logan intensities. */
const CT_AIR = -1000;
const MR_SCALE = 2000;

function paint(field: Float32Array, spec: SliceSpec, shapes: readonly Ellipsoid[], add: boolean): void {
  const { rows, columns } = spec;
  for (const shape of shapes) {
    const dz = (spec.z - shape.z) / shape.c;
    if (Math.abs(dz) >= 1) continue;
    const scale = Math.sqrt(1 - dz * dz);
    const a = shape.a * scale;
    const b = shape.b * scale;
    const radius = Math.max(a, b);
    const cos = Math.cos((shape.phi * Math.PI) / 180);
    const sin = Math.sin((shape.phi * Math.PI) / 180);
    const firstRow = Math.max(0, Math.floor(((shape.y - radius + 1) / 2) * rows));
    const lastRow = Math.min(rows - 1, Math.ceil(((shape.y + radius + 1) / 2) * rows));
    const firstColumn = Math.max(0, Math.floor(((shape.x - radius + 1) / 2) * columns));
    const lastColumn = Math.min(columns - 1, Math.ceil(((shape.x + radius + 1) / 2) * columns));
    for (let row = firstRow; row <= lastRow; row++) {
      const y = ((row + 0.5) / rows) * 2 - 1 - shape.y;
      for (let column = firstColumn; column <= lastColumn; column++) {
        const x = ((column + 0.5) / columns) * 2 - 1 - shape.x;
        const u = (x * cos + y * sin) / a;
        const v = (-x * sin + y * cos) / b;
        if (u * u + v * v > 1) continue;
        const i = row * columns + column;
        field[i] = add ? (field[i] ?? 0) + shape.value : shape.value;
      }
    }
  }
}

/**
 * Renders one slice as stored pixel values (unsigned, 12 of 16 bits used): CT as HU + 1024, MR as intensity.
 * Noise comes from the slice's own seed, so any slice can be rendered alone and always comes out the same.
 */
export function renderSlice(spec: SliceSpec): Uint16Array {
  const field = new Float32Array(spec.rows * spec.columns);
  const ct = spec.modality === 'CT';
  field.fill(ct ? CT_AIR : 0);
  paint(field, spec, ct ? BODY : HEAD, !ct);
  const random = seededRandom(spec.seed);
  const pixels = new Uint16Array(field.length);
  for (let i = 0; i < field.length; i++) {
    // A sum of three uniforms is close enough to Gaussian for image noise and cheap.
    const gaussian = (random() + random() + random() - 1.5) * 2;
    const base = field[i] ?? 0;
    const stored = ct
      ? base + 1024 + gaussian * (base > CT_AIR ? 12 : 4)
      : Math.abs(base * MR_SCALE + gaussian * 15);
    pixels[i] = Math.min(4095, Math.max(0, Math.round(stored)));
  }
  return pixels;
}
