import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSeries } from '../generator.js';
import type { SeriesOptions } from '../generator.js';

/** Options for writing a generated series to a directory. */
export interface WriteSeriesOptions extends SeriesOptions {
  /** Created if missing; files are named like CT0001.dcm. */
  outDir: string;
  /** Called after each file is written. */
  onProgress?: (written: number, total: number, path: string) => void;
}

/** Generates a series slice by slice and writes each file as soon as it exists; returns the paths in order. */
export async function writeGeneratedSeries(options: WriteSeriesOptions): Promise<string[]> {
  const { outDir, onProgress, ...seriesOptions } = options;
  await mkdir(outDir, { recursive: true });
  const width = Math.max(4, String(seriesOptions.slices).length);
  const paths: string[] = [];
  for (const file of generateSeries(seriesOptions)) {
    const path = join(
      outDir,
      `${seriesOptions.modality}${String(paths.length + 1).padStart(width, '0')}.dcm`,
    );
    await writeFile(path, file);
    paths.push(path);
    onProgress?.(paths.length, seriesOptions.slices, path);
  }
  return paths;
}
