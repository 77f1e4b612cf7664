import { mkdir, readdir, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { FileMetaFields } from '@telemed/dicom';
import { fsyncDirectory, writeFileDurably } from './durable-fs.js';
import { IncomingInstance } from './incoming-instance.js';
import { lockSpool, type SpoolLock } from './spool-lock.js';
import { parseSpoolFileName } from './spool-names.js';
import type { SpoolEntry, SpooledInstance } from './spooled-instance.js';

/** Where the spool lives and how it treats space and forwarded instances. */
export interface SpoolOptions {
  dir: string;
  /** New instances are refused while the disk has less free space than this. */
  minFreeBytes: number;
  /** Forwarded instances stay in `sent/` this long; 0 removes them at once. */
  keepSentMs: number;
  log: Logger;
}

/** Why the api refused an instance for good, written beside it in `rejected/`. */
export interface Rejection {
  /** The DICOM failure reason the api gave (FailureReason, 0008,1197), if it gave one. */
  failureReason: number | undefined;
  message: string;
  httpStatus: number;
}

/**
 * The durable queue between the DIMSE receiver and the forwarder, one directory:
 * `tmp/` half-received instances (dropped at start-up: their C-STORE was never answered with success),
 * `incoming/` instances the modality was told are stored, waiting to be forwarded,
 * `sent/` forwarded instances kept for GATEWAY_KEEP_SENT_HOURS,
 * `rejected/` instances the api refused for good, each with a `.reason.json` beside it.
 * An operator can move a rejected file back into `incoming/` to have it forwarded again.
 */
export class Spool {
  readonly dir: string;
  readonly incomingDir: string;
  readonly temporaryDir: string;
  readonly sentDir: string;
  readonly rejectedDir: string;
  readonly #options: SpoolOptions;
  readonly #lock: SpoolLock;
  readonly #reportedStrangers = new Set<string>();
  #closed = false;

  private constructor(options: SpoolOptions, lock: SpoolLock) {
    this.#options = options;
    this.#lock = lock;
    this.dir = options.dir;
    this.incomingDir = join(options.dir, 'incoming');
    this.temporaryDir = join(options.dir, 'tmp');
    this.sentDir = join(options.dir, 'sent');
    this.rejectedDir = join(options.dir, 'rejected');
  }

  /** Creates the directories if needed, takes the spool's lock and clears what a previous run left half-written. */
  static async open(options: SpoolOptions): Promise<Spool> {
    await mkdir(options.dir, { recursive: true });
    const lock = await lockSpool(options.dir);
    if (lock.tookOverFrom)
      options.log.warn({ previousOwner: lock.tookOverFrom }, 'took over the spool lock of a stopped gateway');
    const spool = new Spool(options, lock);
    for (const dir of [spool.incomingDir, spool.temporaryDir, spool.sentDir, spool.rejectedDir])
      await mkdir(dir, { recursive: true });
    // The new directories must survive a power cut before anything is acknowledged into them.
    await fsyncDirectory(options.dir);
    await fsyncDirectory(dirname(options.dir)).catch(() => undefined);
    const leftovers = await readdir(spool.temporaryDir);
    for (const name of leftovers) await rm(join(spool.temporaryDir, name), { force: true, recursive: true });
    if (leftovers.length)
      options.log.info(
        { count: leftovers.length },
        'dropped half-received instances that were never acknowledged',
      );
    return spool;
  }

  /** Starts receiving one instance; see IncomingInstance for how it becomes durable. */
  receive(meta: FileMetaFields): IncomingInstance {
    return new IncomingInstance(meta, {
      temporaryDir: this.temporaryDir,
      incomingDir: this.incomingDir,
      minFreeBytes: this.#options.minFreeBytes,
    });
  }

  /**
   * Instances waiting to be forwarded, oldest first, from their file names alone: after a long outage the
   * queue can hold many thousands, and only the ones about to be sent need a stat (see `measure`). Files that
   * are not spool instances are left alone.
   */
  async pending(): Promise<SpoolEntry[]> {
    const entries = await readdir(this.incomingDir, { withFileTypes: true });
    const pending: SpoolEntry[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const name = parseSpoolFileName(entry.name);
      if (name) pending.push({ ...name, path: join(this.incomingDir, entry.name), fileName: entry.name });
      else this.#reportStranger(entry.name);
    }
    return pending.sort((a, b) => (a.receipt < b.receipt ? -1 : a.receipt > b.receipt ? 1 : 0));
  }

  /** Adds file sizes to entries; an entry whose file is gone (an operator moved it) is dropped. */
  async measure(entries: readonly SpoolEntry[]): Promise<SpooledInstance[]> {
    const measured: SpooledInstance[] = [];
    for (const entry of entries) {
      const size = await stat(entry.path).then(
        (info) => info.size,
        () => undefined,
      );
      if (size !== undefined) measured.push({ ...entry, size });
    }
    return measured;
  }

  /** Takes forwarded instances out of the queue: into `sent/` when they are kept, otherwise removed. */
  async markForwarded(instances: readonly SpooledInstance[]): Promise<void> {
    if (!instances.length) return;
    const keep = this.#options.keepSentMs > 0;
    const now = new Date();
    for (const instance of instances) {
      if (keep) {
        const target = join(this.sentDir, instance.fileName);
        await rename(instance.path, target);
        // The retention clock starts when the instance was forwarded, not when it was received.
        await utimes(target, now, now);
      } else {
        await unlink(instance.path).catch(ignoreMissing);
      }
    }
    if (keep) await fsyncDirectory(this.sentDir);
    await fsyncDirectory(this.incomingDir);
  }

  /** Moves instances the api refused for good into `rejected/`, each with its reason beside it. */
  async markRejected(
    rejections: readonly { instance: SpooledInstance; rejection: Rejection }[],
  ): Promise<void> {
    if (!rejections.length) return;
    for (const { instance, rejection } of rejections) {
      const record = {
        fileName: instance.fileName,
        studyInstanceUid: instance.studyInstanceUid,
        sopInstanceUid: instance.sopInstanceUid,
        rejectedAt: new Date().toISOString(),
        httpStatus: rejection.httpStatus,
        failureReason:
          rejection.failureReason === undefined
            ? null
            : `0x${rejection.failureReason.toString(16).toUpperCase().padStart(4, '0')}`,
        message: rejection.message,
      };
      // The reason is durable before the file moves, so a rejected file is never without its explanation.
      await writeFileDurably(
        join(this.rejectedDir, `${instance.fileName}.reason.json`),
        `${JSON.stringify(record, null, 2)}\n`,
      );
      await rename(instance.path, join(this.rejectedDir, instance.fileName));
    }
    await fsyncDirectory(this.rejectedDir);
    await fsyncDirectory(this.incomingDir);
  }

  /** Removes instances kept in `sent/` longer than GATEWAY_KEEP_SENT_HOURS; returns how many. */
  async purgeSent(now: number = Date.now()): Promise<number> {
    const cutoff = now - this.#options.keepSentMs;
    let removed = 0;
    for (const name of await readdir(this.sentDir)) {
      const path = join(this.sentDir, name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile() || info.mtimeMs > cutoff) continue;
      await unlink(path).catch(ignoreMissing);
      removed += 1;
    }
    return removed;
  }

  /** Releases the spool's lock; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#lock.release();
  }

  #reportStranger(fileName: string): void {
    if (this.#reportedStrangers.has(fileName)) return;
    this.#reportedStrangers.add(fileName);
    this.#options.log.warn(
      { fileName, dir: this.incomingDir },
      'a file in incoming/ is not named like a spool instance and is not forwarded',
    );
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
