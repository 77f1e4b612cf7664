import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMultipart } from '../test/stow-peer.js';
import { multipartBody } from './multipart.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gateway-multipart-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('multipart/related bodies', () => {
  it('frames files as application/dicom parts with an exact length', async () => {
    const first = Buffer.from('first file\r\n--not-the-boundary');
    const second = Buffer.alloc(200_000, 7);
    await writeFile(join(dir, 'a'), first);
    await writeFile(join(dir, 'b'), second);
    const body = multipartBody([
      { path: join(dir, 'a'), size: first.length },
      { path: join(dir, 'b'), size: second.length },
    ]);
    expect(body.contentType).toMatch(
      /^multipart\/related; type="application\/dicom"; boundary=telemed-[0-9a-f]{32}$/,
    );
    const bytes = await buffer(body.stream());
    expect(bytes.length).toBe(body.length);
    const parts = parseMultipart(bytes, body.contentType);
    expect(parts).toHaveLength(2);
    expect(parts[0]?.equals(first)).toBe(true);
    expect(parts[1]?.equals(second)).toBe(true);
  });

  it('fails rather than send a body that does not match its Content-Length', async () => {
    await writeFile(join(dir, 'c'), Buffer.alloc(10));
    const body = multipartBody([{ path: join(dir, 'c'), size: 99 }]);
    await expect(buffer(body.stream())).rejects.toThrow(/changed size/);
  });
});
