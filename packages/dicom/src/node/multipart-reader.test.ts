import { describe, expect, it } from 'vitest';
import {
  encodeMultipartRelated,
  MAX_BOUNDARY_LENGTH,
  parseMultipartContentType,
  readMultipartContentType,
} from '../multipart.js';
import { MultipartError, readMultipart, type ReadPart } from './multipart-reader.js';

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(
  bytes: Uint8Array,
  boundary: string,
  chunk: number,
  max = 1 << 20,
): Promise<ReadPart[]> {
  const out: ReadPart[] = [];
  for await (const part of readMultipart(chunked(bytes, chunk), boundary, { maxPartBytes: max }))
    out.push(part);
  return out;
}

const boundary = 'b0undary-xyz';
const bodies = [
  new Uint8Array([1, 2, 3]),
  // a body that contains CRLF, dashes and most of the boundary without being it
  new TextEncoder().encode(`\r\n--b0undary-xy\r\n--b0undary-x--\r\n`),
  new Uint8Array(5000).map((_, i) => i % 251),
  new Uint8Array(0),
];
const message = encodeMultipartRelated(
  bodies.map((body) => ({ contentType: 'application/dicom', body })),
  boundary,
);

describe('multipart/related', () => {
  it('reads the Content-Type parameters, quoted or not', () => {
    expect(parseMultipartContentType('multipart/related; type="application/dicom"; boundary=abc')).toEqual({
      mediaType: 'multipart/related',
      type: 'application/dicom',
      boundary: 'abc',
      start: null,
    });
    expect(
      parseMultipartContentType('Multipart/Related;boundary="a b:c";type=application/dicom')?.boundary,
    ).toBe('a b:c');
    expect(parseMultipartContentType('multipart/form-data; boundary=abc')).toBeNull();
    expect(parseMultipartContentType('multipart/related')).toBeNull();
  });

  it('takes the boundaries real peers send, longer than the 70 characters RFC 2046 asks of senders', () => {
    // Orthanc's DICOMweb plugin: two UUIDs joined by a dash, 73 characters
    const orthanc = `${'0123abcd-'.repeat(8)}0`;
    expect(orthanc).toHaveLength(73);
    const long = 'b'.repeat(200);
    for (const boundary of [orthanc, long]) {
      const header = `multipart/related; type="application/dicom"; boundary=${boundary}`;
      expect(parseMultipartContentType(header)?.boundary).toBe(boundary);
    }
    expect(MAX_BOUNDARY_LENGTH).toBeGreaterThanOrEqual(200);
  });

  it('says exactly what is wrong with a Content-Type it cannot use', () => {
    const problem = (header: string | undefined): string => {
      const read = readMultipartContentType(header);
      return read.ok ? 'ok' : read.problem;
    };
    expect(problem(undefined)).toBe('the request has no Content-Type');
    expect(problem('application/dicom')).toBe('the Content-Type is application/dicom, not multipart/related');
    expect(problem('multipart/related; type="application/dicom"')).toBe(
      'the multipart/related Content-Type has no boundary parameter',
    );
    expect(problem('multipart/related; boundary=""')).toBe('the boundary parameter is empty');
    expect(problem(`multipart/related; boundary=${'x'.repeat(MAX_BOUNDARY_LENGTH + 1)}`)).toBe(
      `the boundary is ${MAX_BOUNDARY_LENGTH + 1} characters long; at most ${MAX_BOUNDARY_LENGTH} are accepted`,
    );
    expect(problem('multipart/related; boundary="ab@cd"')).toBe(
      'the boundary holds "@" at character 3, which RFC 2046 does not allow in a boundary',
    );
    expect(problem('multipart/related; boundary="abc "')).toBe(
      'the boundary ends in a space, which RFC 2046 does not allow',
    );
  });

  for (const chunk of [1, 7, 13, 64, 4096, message.length]) {
    it(`returns every part byte-identical whatever the chunking (${chunk}-byte chunks)`, async () => {
      const parts = await readAll(message, boundary, chunk);
      expect(parts.map((p) => p.headers['content-type'])).toEqual(bodies.map(() => 'application/dicom'));
      parts.forEach((part, i) => {
        expect(part.tooLarge).toBe(false);
        expect(Buffer.compare(part.body ?? Buffer.alloc(0), Buffer.from(bodies[i] ?? []))).toBe(0);
      });
    });
  }

  it('skips a part over the limit without holding it, and goes on to the next', async () => {
    const parts = await readAll(message, boundary, 100, 4000);
    expect(parts.map((p) => [p.tooLarge, p.size])).toEqual([
      [false, 3],
      [false, bodies[1]?.length],
      [true, 5000],
      [false, 0],
    ]);
  });

  it('tolerates a preamble, transport padding and an epilogue', async () => {
    const text = `preamble text\r\n--${boundary}  \r\nContent-Type: application/dicom\r\n\r\nABC\r\n--${boundary}--\r\nepilogue`;
    const parts = await readAll(new TextEncoder().encode(text), boundary, 5);
    expect(parts.map((p) => p.body?.toString())).toEqual(['ABC']);
  });

  it('says so when the body was cut short, after yielding the whole parts before the cut', async () => {
    const cut = message.subarray(0, message.length - 3000);
    const seen: number[] = [];
    await expect(async () => {
      for await (const part of readMultipart(chunked(cut, 512), boundary, { maxPartBytes: 1 << 20 }))
        seen.push(part.size);
    }).rejects.toThrow(MultipartError);
    expect(seen).toEqual([3, bodies[1]?.length]);
  });

  it('says so when the boundary never appears', async () => {
    await expect(readAll(message, 'another-boundary', 64)).rejects.toThrow(/no part found/);
  });
});
