import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSeries } from '../generator.js';
import { parsePart10 } from '../part10.js';
import { writeGeneratedSeries } from './generate-series.js';

const here = dirname(fileURLToPath(import.meta.url));
const repository = join(here, '..', '..', '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'dicom-series-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('writeGeneratedSeries', () => {
  it('writes one file per slice, in order, reporting progress', async () => {
    const outDir = join(scratch, 'api');
    const progress: number[] = [];
    const options = { modality: 'MR', slices: 3, rows: 32, columns: 32 } as const;
    const paths = await writeGeneratedSeries({
      ...options,
      outDir,
      onProgress: (written) => progress.push(written),
    });
    expect(paths.map((p) => p.slice(outDir.length + 1))).toEqual(['MR0001.dcm', 'MR0002.dcm', 'MR0003.dcm']);
    expect(progress).toEqual([1, 2, 3]);
    const expected = [...generateSeries(options)];
    paths.forEach((path, i) => {
      expect(new Uint8Array(readFileSync(path))).toEqual(expected[i]);
    });
  });
});

describe('generate-cli', () => {
  it('writes the requested series and prints progress', () => {
    const outDir = join(scratch, 'cli');
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(here, 'generate-cli.ts'),
        '--out',
        outDir,
        '--modality',
        'CT',
        '--slices',
        '4',
        '--rows',
        '32',
        '--columns',
        '32',
      ],
      { cwd: repository, encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('CT 4/4 (100%)');
    expect(result.stdout).toContain(`Wrote 4 files to ${outDir}`);
    const files = readdirSync(outDir).sort();
    expect(files).toEqual(['CT0001.dcm', 'CT0002.dcm', 'CT0003.dcm', 'CT0004.dcm']);
    expect(
      parsePart10(new Uint8Array(readFileSync(join(outDir, 'CT0004.dcm')))).json['00200013']?.Value,
    ).toEqual([4]);
  });

  it('explains bad arguments and exits with status 2', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(here, 'generate-cli.ts'), '--modality', 'PET'],
      {
        cwd: repository,
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--out is required');
    expect(result.stderr).toContain('Usage:');
  });
});
