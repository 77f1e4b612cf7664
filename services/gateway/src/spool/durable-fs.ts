import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Flushes a directory's entries to disk. A rename is only durable once the directory holding the new name has
 * been fsynced; without this a power cut can bring back the old directory listing after the C-STORE was answered.
 */
export async function fsyncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** Writes a small file so that after a crash it holds either nothing or all of `data`, never a torn prefix. */
export async function writeFileDurably(path: string, data: string | Buffer): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(dirname(path));
}
