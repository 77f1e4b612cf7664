import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { readMultipart } from '@telemed/dicom/node';
import { MultipartStream, type StreamedPart } from './multipart-stream.js';

const BOUNDARY = 'multipart-stream-test';

function bytes(seed: number, length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (seed * 31 + i * 7) & 0xff));
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function partsOf(body: Buffer): Promise<{ headers: Record<string, string>; body: Buffer }[]> {
  async function* source(): AsyncGenerator<Uint8Array> {
    yield body;
  }
  const out: { headers: Record<string, string>; body: Buffer }[] = [];
  for await (const part of readMultipart(source(), BOUNDARY, { maxPartBytes: body.length })) {
    if (part.body) out.push({ headers: part.headers, body: part.body });
  }
  return out;
}

describe('MultipartStream', () => {
  it('sends files in memory and streamed files in order, and knows its length beforehand', async () => {
    const files = [bytes(1, 1000), bytes(2, 70_000), bytes(3, 3)];
    const parts: StreamedPart[] = files.map((file, i) => ({
      contentType: 'application/dicom',
      location: `/instances/${i}`,
      size: file.length,
      // the middle one as a stream of small chunks, as a large file is sent
      load: () =>
        Promise.resolve(
          i === 1
            ? Readable.from([file.subarray(0, 5000), file.subarray(5000)], { objectMode: false })
            : file,
        ),
    }));
    const stream = new MultipartStream(BOUNDARY, parts);
    const body = await collect(stream);
    expect(stream.length).toBe(body.length);
    const read = await partsOf(body);
    expect(read.map((p) => p.body)).toEqual(files);
    expect(read.map((p) => p.headers['content-location'])).toEqual([
      '/instances/0',
      '/instances/1',
      '/instances/2',
    ]);
  });

  it('has no length when a part size is unknown', () => {
    const stream = new MultipartStream(BOUNDARY, [
      { contentType: 'application/octet-stream', load: () => Promise.resolve(Buffer.alloc(1)) },
    ]);
    expect(stream.length).toBeNull();
    stream.destroy();
  });

  it('loads only a few parts ahead of a client that reads slowly, and none before the first read', async () => {
    const started: number[] = [];
    const parts: StreamedPart[] = Array.from({ length: 40 }, (_, i) => ({
      contentType: 'application/dicom',
      size: 1 << 20,
      load: () => {
        started.push(i);
        return Promise.resolve(bytes(i, 1 << 20));
      },
    }));
    const stream = new MultipartStream(BOUNDARY, parts);
    await sleep(20);
    expect(started).toEqual([]);
    // one chunk taken, then nothing: the stream fills its buffer and waits
    const first = await new Promise<unknown>((resolve) => {
      stream.once('readable', () => {
        resolve(stream.read(1));
      });
    });
    expect(first).not.toBeNull();
    await sleep(50);
    expect(started.length).toBeGreaterThan(0);
    expect(started.length).toBeLessThan(12);
    stream.destroy();
  });

  it('fails the answer when a file is not the size the index says', async () => {
    const stream = new MultipartStream(BOUNDARY, [
      { contentType: 'application/dicom', size: 10, load: () => Promise.resolve(Buffer.alloc(9)) },
    ]);
    await expect(collect(stream)).rejects.toThrow(/holds 9 bytes; the index says 10/);
  });
});
