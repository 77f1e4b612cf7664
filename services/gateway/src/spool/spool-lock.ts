import { readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileDurably } from './durable-fs.js';

const LOCK_FILE = 'gateway.lock';

/** Who holds a spool lock. */
export interface LockOwner {
  pid: number;
  host: string;
}

/** Another live gateway process owns the spool. */
export class SpoolLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly owner: LockOwner,
  ) {
    super(`the spool ${dir} is in use by process ${owner.pid} on ${owner.host}; one gateway per spool`);
    this.name = 'SpoolLockedError';
  }
}

/** A held spool lock. */
export interface SpoolLock {
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): Promise<void>;
  /** The owner of a lock that was taken over, for the log. */
  tookOverFrom: LockOwner | undefined;
}

/**
 * Claims a spool directory for this process. Two gateways on one spool would forward every instance twice and
 * each would delete the other's half-written files at start-up. A lock left by a process that died (killed,
 * power cut) is taken over: its pid is gone, or is our own pid after a container restart. A lock written on
 * another host cannot be checked and is taken over too, since containers get a new host name when re-created.
 */
export async function lockSpool(dir: string): Promise<SpoolLock> {
  const path = join(dir, LOCK_FILE);
  const owner = await readOwner(path);
  if (owner && owner.host === hostname() && owner.pid !== process.pid && isAlive(owner.pid))
    throw new SpoolLockedError(dir, owner);
  const mine: LockOwner = { pid: process.pid, host: hostname() };
  await writeFileDurably(path, `${JSON.stringify(mine)}\n`);
  let released = false;
  return {
    tookOverFrom: owner,
    release: async () => {
      if (released) return;
      released = true;
      const current = await readOwner(path);
      if (current?.pid === mine.pid && current.host === mine.host) await unlink(path).catch(() => undefined);
    },
  };
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'pid' in parsed && 'host' in parsed) {
      const { pid, host } = parsed;
      if (typeof pid === 'number' && typeof host === 'string') return { pid, host };
    }
  } catch {
    // A torn or foreign lock file protects nothing; it is replaced.
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
