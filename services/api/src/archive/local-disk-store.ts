import { createHash, randomBytes } from 'node:crypto';
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

  async readAll(key: string, size?: number): Promise<Buffer> {
    if (size === undefined) return readFile(this.pathOf(key));
    // Knowing the size spares the stat and the chunked reads of readFile: open, one read, close.
    const handle = await open(this.pathOf(key), 'r');
    try {
      const buffer = Buffer.allocUnsafe(size);
      let filled = 0;
      while (filled < size) {
        const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
        if (bytesRead === 0) throw new Error(`blob ${key} is shorter than the index says`);
        filled += bytesRead;
      }
      return buffer;
    } finally {
      await handle.close();
    }
  }

  async read(key: string, offset: number, length: number): Promise<Buffer> {
    const handle = await open(this.pathOf(key), 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      if (bytesRead !== length) throw new Error(`blob ${key} is shorter than the index says`);
      return buffer;
    } finally {
      await handle.close();
    }
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
