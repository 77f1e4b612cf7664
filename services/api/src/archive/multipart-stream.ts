import { Readable } from 'node:stream';
import { closeDelimiter, partHead } from '@telemed/dicom';

/** One part of a multipart/related answer: its headers, and its body loaded only when the answer gets to it. */
export interface StreamedPart {
  contentType: string;
  location?: string;
  /** The body's length when known beforehand (from the index); a body of another length fails the answer. */
  size?: number;
  load(): Promise<Buffer | Readable>;
}

/** Parts loaded ahead of the one being sent, so reading the next files overlaps writing this one. */
const READ_AHEAD = 4;

/**
 * A multipart/related body (RFC 2387) that loads its parts a few ahead of the one being sent and pushes each
 * loaded file as one chunk, pausing whenever the client falls behind. Loading starts with the first read, so a
 * stream that is never sent (an answer replaced by an error) reads nothing.
 */
export class MultipartStream extends Readable {
  /** The whole body's length, when every part's size is known; the answer can then carry a Content-Length. */
  readonly length: number | null;
  readonly #parts: readonly StreamedPart[];
  readonly #heads: Buffer[];
  readonly #closing: Buffer;
  readonly #loads = new Map<number, Promise<Buffer | Readable>>();
  #next = 0;
  #pumping = false;
  #demand = false;
  #resume: (() => void) | null = null;
  #current: Readable | null = null;

  constructor(boundary: string, parts: readonly StreamedPart[]) {
    super({ highWaterMark: 4 << 20 });
    this.#parts = parts;
    this.#heads = parts.map((part) =>
      Buffer.from(
        partHead(boundary, part.contentType, part.location ? { 'Content-Location': part.location } : {}),
      ),
    );
    this.#closing = Buffer.from(closeDelimiter(boundary));
    let length: number | null = this.#closing.length;
    parts.forEach((part, i) => {
      if (length === null || part.size === undefined) length = null;
      else length += (this.#heads[i]?.length ?? 0) + part.size;
    });
    this.length = length;
  }

  override _read(): void {
    this.#demand = true;
    const resume = this.#resume;
    this.#resume = null;
    resume?.();
    if (!this.#pumping) {
      this.#pumping = true;
      this.#pump().catch((error: unknown) => {
        this.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#current?.destroy();
    for (const load of this.#loads.values()) {
      load.then(
        (body) => {
          if (!Buffer.isBuffer(body)) body.destroy();
        },
        () => undefined,
      );
    }
    this.#loads.clear();
    callback(error);
  }

  /** Starts loading the parts up to READ_AHEAD past the one being sent. */
  #readAhead(): void {
    for (let i = this.#next; i < Math.min(this.#parts.length, this.#next + READ_AHEAD); i++) {
      if (this.#loads.has(i)) continue;
      const part = this.#parts[i];
      if (!part) break;
      const load = part.load();
      // a client that goes away leaves loads unawaited; they must not become unhandled rejections
      load.catch(() => undefined);
      this.#loads.set(i, load);
    }
  }

  /** Pushes `chunk`; resolves when the consumer wants more (at once if it still does). */
  async #send(chunk: Buffer): Promise<void> {
    this.#demand = false;
    // _read may have run inside push, asking for more already
    if (this.push(chunk) || this.#wanted()) return;
    await new Promise<void>((resolve) => {
      this.#resume = resolve;
    });
  }

  async #pump(): Promise<void> {
    while (this.#next < this.#parts.length) {
      this.#readAhead();
      const index = this.#next;
      const part = this.#parts[index];
      const head = this.#heads[index];
      const load = this.#loads.get(index);
      if (!part || !head || !load) throw new Error(`part ${index + 1} of the answer was not loaded`);
      const body = await load;
      this.#loads.delete(index);
      if (this.#gone()) return;
      let sent = 0;
      await this.#send(head);
      if (Buffer.isBuffer(body)) {
        sent = body.length;
        if (part.size !== undefined && sent !== part.size) throw this.#sizeError(part, sent);
        await this.#send(body);
      } else {
        this.#current = body;
        for await (const chunk of body as AsyncIterable<Buffer>) {
          if (this.#gone()) return;
          sent += chunk.length;
          if (part.size !== undefined && sent > part.size) throw this.#sizeError(part, sent);
          await this.#send(chunk);
        }
        this.#current = null;
        if (part.size !== undefined && sent !== part.size) throw this.#sizeError(part, sent);
      }
      this.#next++;
      if (this.#gone()) return;
    }
    this.push(this.#closing);
    this.push(null);
  }

  #wanted(): boolean {
    return this.#demand;
  }

  #gone(): boolean {
    return this.destroyed;
  }

  #sizeError(part: StreamedPart, got: number): Error {
    return new Error(`${part.location ?? 'a part'} holds ${got} bytes; the index says ${part.size ?? '?'}`);
  }
}
