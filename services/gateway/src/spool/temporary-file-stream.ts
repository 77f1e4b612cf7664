import { open, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';

// The DIMSE library waits for 'drain' only on the first write of a C-STORE and keeps feeding PDUs while it
// waits, so a first write that reported backpressure could reorder fragments. A buffer larger than any PDU
// keeps that first write from ever reporting it.
const HIGH_WATER_MARK = 16 * 1024 * 1024;

/**
 * A Writable onto a new file that starts with `header`, is fsynced when the stream ends and is closed when the
 * stream closes. Errors (a full disk) leave the stream errored; the owner reads `errored` after 'close'.
 */
export class TemporaryFileStream extends Writable {
  readonly path: string;
  #header: Uint8Array;
  #file: FileHandle | undefined;
  #position = 0;

  constructor(path: string, header: Uint8Array) {
    super({ highWaterMark: HIGH_WATER_MARK });
    this.path = path;
    this.#header = header;
    // The DIMSE library writes without listening for 'error'; an unheard stream error would end the process.
    // The failure stays visible through `errored` and is answered with a C-STORE failure status.
    this.on('error', () => undefined);
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.path, 'wx')
      .then(async (file) => {
        this.#file = file;
        await this.#writeAll(this.#header);
      })
      .then(() => {
        callback();
      }, callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#writeAll(chunk).then(() => {
      callback();
    }, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    const file = this.#file;
    if (!file) {
      callback(new Error('file was never opened'));
      return;
    }
    file.sync().then(() => {
      callback();
    }, callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const file = this.#file;
    this.#file = undefined;
    if (!file) {
      callback(error);
      return;
    }
    file.close().then(
      () => {
        callback(error);
      },
      (closeError: unknown) => {
        callback(error ?? (closeError instanceof Error ? closeError : new Error(String(closeError))));
      },
    );
  }

  /** Bytes written to the file so far, header included. */
  get bytesOnDisk(): number {
    return this.#position;
  }

  /** Resolves once the file is closed, whether the stream finished or failed. */
  whenClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.once('close', () => {
        resolve();
      });
    });
  }

  async #writeAll(bytes: Uint8Array): Promise<void> {
    const file = this.#file;
    if (!file) throw new Error('file is not open');
    let offset = 0;
    // A write to a regular file may in principle be short; loop until every byte is down.
    while (offset < bytes.length) {
      const { bytesWritten } = await file.write(bytes, offset, bytes.length - offset, this.#position);
      offset += bytesWritten;
      this.#position += bytesWritten;
    }
  }
}
