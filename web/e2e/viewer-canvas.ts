/**
 * Reading back what the viewer drew: a viewport's canvas compared, block by block, with the slice as the study
 * generator made it, windowed as cornerstone windows it.
 */
import type { Locator, Page } from 'playwright-core';

/** The generator's chest CT: 512 x 512, 350 mm field of view, stored values 12-bit with a -1024 intercept. */
export const CT_SIZE = 512;
export const CT_PIXEL_MM = 350 / CT_SIZE;
const INTERCEPT = -1024;

/** The grey level cornerstone draws for a stored value under a linear window (its VOI LUT, MONOCHROME2). */
function grey(stored: number, center: number, width: number): number {
  const x = stored + INTERCEPT;
  if (x <= center - 0.5 - (width - 1) / 2) return 0;
  if (x > center - 0.5 + (width - 1) / 2) return 255;
  return ((x - (center - 0.5)) / (width - 1) + 0.5) * 255;
}

export interface Canvas {
  width: number;
  height: number;
  /** the red channel, row by row */
  red: number[];
}

/** What the one viewport canvas inside `where` (the page in a 1x1 layout, or one viewport's group) shows now. */
export async function readCanvas(where: Page | Locator): Promise<Canvas> {
  return where.locator('.viewer-viewport canvas').evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext('2d');
    if (!context) throw new Error('the viewport canvas has no 2D context');
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const red: number[] = [];
    for (let i = 0; i < data.length; i += 4) red.push(data[i] ?? 0);
    return { width: canvas.width, height: canvas.height, red };
  });
}

const BLOCK = 16;

/**
 * Compares the canvas with the slice as the generator made it, windowed as given: the mean grey of 16 x 16 blocks of
 * canvas pixels over the image's middle, against the mean of the stored pixels under the same blocks. Returns the
 * largest and the mean difference, and how far apart the blocks' expected values are (a blank canvas must not pass).
 */
export function compare(
  canvas: Canvas,
  pixels: Uint16Array,
  center: number,
  width: number,
): { worst: number; mean: number; spread: number } {
  const scale = Math.min(canvas.width / CT_SIZE, canvas.height / CT_SIZE);
  const toImage = (cx: number, cy: number): [number, number] => [
    (cx + 0.5 - canvas.width / 2) / scale + CT_SIZE / 2,
    (cy + 0.5 - canvas.height / 2) / scale + CT_SIZE / 2,
  ];
  const errors: number[] = [];
  const expectedMeans: number[] = [];
  const side = CT_SIZE * scale * 0.6;
  for (let by = 0; by < 6; by++) {
    for (let bx = 0; bx < 6; bx++) {
      const x0 = Math.round(canvas.width / 2 - side / 2 + (bx * (side - BLOCK)) / 5);
      const y0 = Math.round(canvas.height / 2 - side / 2 + (by * (side - BLOCK)) / 5);
      let shown = 0;
      let expected = 0;
      for (let y = y0; y < y0 + BLOCK; y++) {
        for (let x = x0; x < x0 + BLOCK; x++) {
          shown += canvas.red[y * canvas.width + x] ?? 0;
          const [ix, iy] = toImage(x, y);
          const stored = pixels[Math.floor(iy) * CT_SIZE + Math.floor(ix)] ?? 0;
          expected += grey(stored, center, width);
        }
      }
      errors.push(Math.abs(shown - expected) / (BLOCK * BLOCK));
      expectedMeans.push(expected / (BLOCK * BLOCK));
    }
  }
  return {
    worst: Math.max(...errors),
    mean: errors.reduce((a, b) => a + b, 0) / errors.length,
    spread: Math.max(...expectedMeans) - Math.min(...expectedMeans),
  };
}

/** Waits until the viewport inside `where` is labelled with image `index` of `total`, and drawn. */
export async function waitForImage(where: Page | Locator, index: number, total: number): Promise<void> {
  await where.getByRole('img', { name: `影像 ${String(index)}/${String(total)}` }).waitFor();
  const page = 'page' in where ? where.page() : where;
  // the draw follows the label within a frame
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}
