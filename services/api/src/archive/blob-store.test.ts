import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSeries, seriesUids } from '@telemed/dicom';
import { startTestApp } from '../test/test-app.js';
import type { BlobStore } from './blob-store.js';
import { LocalDiskStore } from './local-disk-store.js';
import { S3Store } from './s3-store.js';

let dir: string;
let s3: S3rver;
let s3Endpoint = '';
const stores: Record<string, () => Promise<BlobStore>> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'telemed-blobs-'));
  // an S3 protocol server on loopback, standing where MinIO stands in production
  s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(dir, 's3'),
    configureBuckets: [{ name: 'archive', configs: [] }],
  });
  const { port } = await s3.run();
  s3Endpoint = `http://127.0.0.1:${port}`;
  stores.disk = () => LocalDiskStore.open(join(dir, 'disk'));
  stores.s3 = async () =>
    new S3Store({
      endpoint: s3Endpoint,
      region: 'us-east-1',
      bucket: 'archive',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      prefix: 'dicom/',
    });
});
afterAll(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

for (const name of ['disk', 's3']) {
  describe(`the ${name} blob store`, () => {
    it('stores by content, once, and reads back whole, as a stream, and by range', async () => {
      const store = await (stores[name] ?? (() => Promise.reject(new Error(name))))();
      const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
      const first = await store.put(bytes);
      expect(first).toEqual({
        key: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.length,
        created: true,
      });
      expect((await store.put(bytes)).created).toBe(false);
      expect(Buffer.compare(await store.readAll(first.key), bytes)).toBe(0);
      const chunks: Buffer[] = [];
      for await (const chunk of store.stream(first.key)) chunks.push(chunk as Buffer);
      expect(Buffer.compare(Buffer.concat(chunks), bytes)).toBe(0);
      expect(Buffer.compare(await store.read(first.key, 1000, 5000), bytes.subarray(1000, 6000))).toBe(0);
      await store.remove(first.key);
      await expect(store.readAll(first.key)).rejects.toThrow();
      await store.close();
    });
  });
}

it('the disk store leaves no temp file behind and clears ones a crash left', async () => {
  const store = await LocalDiskStore.open(join(dir, 'disk2'));
  await store.put(Buffer.from('x'));
  expect(await store.tempFiles()).toEqual([]);
});

describe('the archive on an S3-compatible store', () => {
  it('stores a series there and serves its frames from it', async () => {
    const t = await startTestApp({
      ARCHIVE_S3_ENDPOINT: s3Endpoint,
      ARCHIVE_S3_BUCKET: 'archive',
      ARCHIVE_S3_ACCESS_KEY_ID: 'S3RVER',
      ARCHIVE_S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
    try {
      const tech = await t.login('wangjianguo');
      const options = { modality: 'MR' as const, slices: 4, seed: 808, rows: 64, columns: 64 };
      const slices = [...generateSeries(options)];
      const res = await t.stow(tech, slices);
      expect(res.statusCode, res.body).toBe(200);
      const uids = seriesUids(options);
      const wado = await t.as(tech, {
        method: 'GET',
        url: `/wado?requestType=WADO&studyUID=${uids.studyInstanceUid}&seriesUID=${uids.seriesInstanceUid}&objectUID=${uids.sopInstanceUids[2] ?? ''}`,
      });
      expect(Buffer.compare(wado.rawPayload, Buffer.from(slices[2] ?? []))).toBe(0);
      // nothing went to the local folder
      const local = await readdir(join(t.archiveDir, 'objects'), { recursive: true }).catch(() => []);
      expect(local.filter((f) => /[0-9a-f]{64}$/.test(f))).toEqual([]);
    } finally {
      await t.close();
    }
  }, 60_000);
});
