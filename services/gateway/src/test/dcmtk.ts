import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';

/** Whether Debian's dcmtk command-line tools are on PATH (apt-get install dcmtk). */
export function dcmtkMissing(): string | undefined {
  const missing = ['echoscu', 'storescu', 'dcmdump'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
  );
  return missing.length
    ? `dcmtk is not installed (no ${missing.join(', ')}): apt-get install dcmtk`
    : undefined;
}

const SAMPLE_NAMES = ['CT_small.dcm', 'MR_small.dcm', 'JPEG2000.dcm'] as const;
const DEFAULT_SAMPLE_DIR = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

/**
 * Sample files from Debian's python3-pydicom: a CT and an MR in Explicit VR Little Endian (different studies) and
 * a JPEG 2000 secondary capture. Found through dpkg so a different Python layout still works.
 */
export function pydicomSamples(): { ct: string; mr: string; jpeg2000: string } | undefined {
  const listing = spawnSync('dpkg', ['-L', 'python3-pydicom'], { encoding: 'utf8' });
  const listed = listing.status === 0 ? listing.stdout.split('\n') : [];
  const find = (name: string): string | undefined =>
    listed.find((path) => basename(path) === name && path.includes('test_files')) ??
    (existsSync(`${DEFAULT_SAMPLE_DIR}/${name}`) ? `${DEFAULT_SAMPLE_DIR}/${name}` : undefined);
  const [ct, mr, jpeg2000] = SAMPLE_NAMES.map(find);
  return ct && mr && jpeg2000 ? { ct, mr, jpeg2000 } : undefined;
}

/** Why the dcmtk tests cannot run here, or undefined when they can. */
export function dcmtkSkipReason(): string | undefined {
  return (
    dcmtkMissing() ??
    (pydicomSamples()
      ? undefined
      : 'the pydicom sample files are not installed: apt-get install python3-pydicom')
  );
}

/** Runs a command and reports its exit code and output, never throwing on a non-zero exit. */
export function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** The data set of a Part 10 file: what follows its File Meta group. */
export function dataSetOf(part10: Buffer): Buffer {
  if (part10.subarray(128, 132).toString('ascii') !== 'DICM') throw new Error('not a Part 10 file');
  // (0002,0000) UL comes first in the meta group of the files used here and of those the gateway writes.
  if (part10.readUInt16LE(132) !== 0x0002 || part10.readUInt16LE(134) !== 0x0000)
    throw new Error('File Meta group has no group length');
  return part10.subarray(144 + part10.readUInt32LE(140));
}
