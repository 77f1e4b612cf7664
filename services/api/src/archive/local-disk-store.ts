import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobStore, StoredBlob } from './blob-store.js';

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * `length` bytes of a file from `offset`: open, read, close. Through the callback API, which costs the event loop far
 * less per file than FileHandle's promises when a series is sent file by file or a viewer asks frame by frame.
 */
function readRange(path: string, offset: number, length: number, key: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    fs.open(path, 'r', (openError, fd) => {
      if (openError) {
        reject(openError);
        return;
      }
      const buffer = Buffer.allocUnsafe(length);
      const finish = (error: Error | null): void => {
        fs.close(fd, (closeError) => {
          const failure = error ?? closeError;
          if (failure) reject(failure);
          else resolve(buffer);
        });
      };
      const readFrom = (filled: number): void => {
        if (filled === length) {
          finish(null);
          return;
        }
        fs.read(fd, buffer, filled, length - filled, offset + filled, (readError, bytesRead) => {
          if (readError) finish(readError);
          else if (bytesRead === 0) finish(new Error(`blob ${key} is shorter than the index says`));
          else readFrom(filled + bytesRead);
        });
      };
      readFrom(0);
    });
  });
}

/**
 * Content-addressed files under `root/objects/ab/cd/<sha256>`. A blob is written to `root/tmp`, fsynced, renamed into
 * place and its directory fsynced, so a crash leaves either no file or the whole file, and never a partial one
 * under its final name.
 */
export class LocalDiskStore implements BlobStore {
  private constructor(private readonly root: string) {}

  /** Opens the store, creating its folders and clearing temp files a crash may have left. */
  static async open(root: string): Promise<LocalDiskStore> {
    await mkdir(join(root, 'objects'), { recursive: true });
    await mkdir(join(root, 'tmp'), { recursive: true });
    for (const leftover of await readdir(join(root, 'tmp')))
      await rm(join(root, 'tmp', leftover), { force: true });
    return new LocalDiskStore(root);
  }

  private pathOf(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`not a blob key: ${key}`);
    return join(this.root, 'objects', key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(bytes: Uint8Array): Promise<StoredBlob> {
    const key = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(key);
    const existing = await stat(target).catch(() => null);
    if (existing?.size === bytes.length) return { key, size: bytes.length, created: false };
    const temp = join(this.root, 'tmp', `${key}.${randomBytes(6).toString('hex')}`);
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await handle.close();
    try {
      await mkdir(dirname(target), { recursive: true });
      await rename(temp, target);
      await fsyncDirectory(dirname(target));
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    return { key, size: bytes.length, created: true };
  }

  stream(key: string): Readable {
    return createReadStream(this.pathOf(key), { highWaterMark: 1 << 20 });
  }

  readAll(key: string, size?: number): Promise<Buffer> {
    if (size === undefined) return readFile(this.pathOf(key));
    // knowing the size spares readFile's stat and chunked reads
    return readRange(this.pathOf(key), 0, size, key);
  }

  read(key: string, offset: number, length: number): Promise<Buffer> {
    return readRange(this.pathOf(key), offset, length, key);
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Temp files present now: a test checks failed uploads leave none. */
  async tempFiles(): Promise<string[]> {
    return readdir(join(this.root, 'tmp'));
  }

  async close(): Promise<void> {
    // nothing held open between calls
  }
}
