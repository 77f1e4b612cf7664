/**
 * Frames decoded with the viewer's codecs against the uncompressed pixels of the same image: pydicom's sample files
 * (Debian package python3-pydicom, or PYDICOM_DATA) and files made from them with dcmtk. Skipped with a note when
 * either is absent; CI installs both.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { frameBytes } from '../frames.js';
import { parsePart10WithZlib } from '../node/parse.js';
import { TransferSyntaxUid } from '../transfer-syntax.js';
import { DicomError } from '../types.js';
import { canDecode, decodeFrame, imageInfoOf, type ImageInfo } from './decode.js';

const root = join(process.env.PYDICOM_DATA ?? '/usr/lib/python3/dist-packages/pydicom/data', 'test_files');
const hasDcmtk = ((): boolean => {
  try {
    execFileSync('dcmcjpeg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const present = existsSync(join(root, 'MR_small.dcm')) && hasDcmtk;
const note = present ? '' : ' [skipped: apt-get install python3-pydicom dcmtk]';
const scratch = mkdtempSync(join(tmpdir(), 'telemed-codecs-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface Sample {
  transferSyntaxUid: string;
  info: ImageInfo;
  frames: Uint8Array[];
}

function load(path: string): Sample {
  const parsed = parsePart10WithZlib(new Uint8Array(readFileSync(path)));
  const info = imageInfoOf(parsed.json);
  if (!info) throw new Error(`${path} has no Image Pixel module`);
  const source = parsed.inflated ?? new Uint8Array(readFileSync(path));
  return {
    transferSyntaxUid: parsed.transferSyntaxUid,
    info,
    frames: parsed.frames.map((frame) => frameBytes(source, frame)),
  };
}

const sample = (name: string): Sample => load(join(root, name));

/** `tool` (a dcmtk program) run on a pydicom sample, with `options`; the file it wrote. */
function dcmtk(tool: string, name: string, options: string[] = []): Sample {
  const out = join(scratch, `${tool}-${options.join('')}-${name}`);
  execFileSync(tool, [...options, join(root, name), out]);
  return load(out);
}

async function decodeAll(compressed: Sample, info: ImageInfo = compressed.info): Promise<Buffer[]> {
  return Promise.all(
    compressed.frames.map(async (f) => Buffer.from(await decodeFrame(compressed.transferSyntaxUid, f, info))),
  );
}

function expectSame(decoded: Buffer[], reference: Sample): void {
  expect(decoded.length).toBe(reference.frames.length);
  decoded.forEach((frame, i) => {
    expect(frame.length).toBe(reference.frames[i]?.length);
    expect(frame.equals(Buffer.from(reference.frames[i] ?? []))).toBe(true);
  });
}

describe.skipIf(!present)(`decoding frames with the viewer's codecs${note}`, () => {
  it('decodes RLE, JPEG-LS, JPEG 2000 lossless and big endian MR to exactly pydicom’s uncompressed MR_small', async () => {
    const reference = sample('MR_small.dcm');
    for (const name of [
      'MR_small_RLE.dcm',
      'MR_small_jpeg_ls_lossless.dcm',
      'MR_small_jp2klossless.dcm',
      'MR_small_bigendian.dcm',
    ]) {
      const compressed = sample(name);
      expect(compressed.transferSyntaxUid, name).not.toBe(TransferSyntaxUid.ExplicitVRLittleEndian);
      expectSame(await decodeAll(compressed), reference);
    }
  });

  it('decodes JPEG lossless (process 14 and SV1) and JPEG-LS made by dcmtk back to the exact CT pixels', async () => {
    const reference = sample('CT_small.dcm');
    const made = [
      dcmtk('dcmcjpeg', 'CT_small.dcm', ['+e1']),
      dcmtk('dcmcjpeg', 'CT_small.dcm', ['+el']),
      dcmtk('dcmcjpls', 'CT_small.dcm', ['+el']),
    ];
    expect(made.map((m) => m.transferSyntaxUid)).toEqual([
      TransferSyntaxUid.JPEGLossless,
      '1.2.840.10008.1.2.4.57',
      TransferSyntaxUid.JPEGLSLossless,
    ]);
    for (const compressed of made) expectSame(await decodeAll(compressed), reference);
  });

  it('decodes RGB RLE of 8, 16 and 32 bits, one and two frames, colour by pixel and by plane', async () => {
    for (const name of [
      'SC_rgb_rle.dcm',
      'SC_rgb_rle_2frame.dcm',
      'SC_rgb_rle_16bit.dcm',
      'SC_rgb_rle_32bit_2frame.dcm',
    ]) {
      const compressed = sample(name);
      const byPixel = dcmtk('dcmdrle', name);
      expect(byPixel.info.planarConfiguration).toBe(0);
      expectSame(await decodeAll(compressed, byPixel.info), byPixel);
      const byPlane = await decodeAll(compressed, { ...byPixel.info, planarConfiguration: 1 });
      // the red plane first: every third sample of the interleaved frame
      const bytes = byPixel.info.bitsAllocated / 8;
      const frame = Buffer.from(byPixel.frames[0] ?? []);
      const pixels = frame.length / (3 * bytes);
      const red = Buffer.concat(
        Array.from({ length: pixels }, (_, p) => frame.subarray(p * 3 * bytes, p * 3 * bytes + bytes)),
      );
      expect(byPlane[0]?.subarray(0, red.length).equals(red), name).toBe(true);
    }
  });

  it('decodes JPEG baseline colour within a grey level or two of dcmtk’s decoder', async () => {
    const compressed = sample('SC_rgb_jpeg_dcmtk.dcm');
    const reference = dcmtk('dcmdjpeg', 'SC_rgb_jpeg_dcmtk.dcm');
    const [decoded] = await decodeAll(compressed, reference.info);
    const expected = reference.frames[0] ?? new Uint8Array();
    expect(decoded?.length).toBe(expected.length);
    let worst = 0;
    let total = 0;
    decoded?.forEach((value, i) => {
      const difference = Math.abs(value - (expected[i] ?? 0));
      worst = Math.max(worst, difference);
      total += difference;
    });
    expect(worst).toBeLessThanOrEqual(3);
    expect(total / expected.length).toBeLessThan(0.5);
  });

  it('passes deflated frames through as the inflated pixels they are', async () => {
    const deflated = sample('image_dfl.dcm');
    expect(deflated.transferSyntaxUid).toBe(TransferSyntaxUid.DeflatedExplicitVRLittleEndian);
    expectSame(await decodeAll(deflated), deflated);
  });

  it('says which frames it cannot decode, and why a broken one fails', async () => {
    expect(canDecode('1.2.840.10008.1.2.4.201')).toBe(false);
    expect(canDecode(TransferSyntaxUid.JPEG2000)).toBe(true);
    const mr = sample('MR_small_RLE.dcm');
    await expect(decodeFrame('1.2.840.10008.1.2.4.201', new Uint8Array(10), mr.info)).rejects.toThrow(
      /1\.2\.840\.10008\.1\.2\.4\.201 cannot be decoded/,
    );
    const truncated = (mr.frames[0] ?? new Uint8Array()).subarray(0, 200);
    await expect(decodeFrame(TransferSyntaxUid.RLELossless, truncated, mr.info)).rejects.toThrow(DicomError);
    const jls = sample('MR_small_jpeg_ls_lossless.dcm');
    await expect(
      decodeFrame(
        TransferSyntaxUid.JPEGLSLossless,
        (jls.frames[0] ?? new Uint8Array()).subarray(0, 100),
        jls.info,
      ),
    ).rejects.toThrow(/could not be decoded/);
  });
});
