import { rename, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DicomError, isValidUid, part10Header, type FileMetaFields } from '@telemed/dicom';
import { readInstanceIdentity } from '@telemed/dicom/node';
import { fsyncDirectory } from './durable-fs.js';
import { newReceipt, spoolFileName } from './spool-names.js';
import type { SpooledInstance } from './spooled-instance.js';
import { TemporaryFileStream } from './temporary-file-stream.js';

/** Why an instance was not taken into the spool; the DIMSE layer maps each to a C-STORE status. */
export type StoreFailureReason = 'out-of-resources' | 'unreadable' | 'sop-class-mismatch';

/** An instance the spool refused; nothing of it is left on disk. */
export class StoreFailure extends Error {
  constructor(
    readonly reason: StoreFailureReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'StoreFailure';
  }
}

/** Where an incoming instance is written and when the spool counts as full. */
export interface IncomingInstanceOptions {
  temporaryDir: string;
  incomingDir: string;
  minFreeBytes: number;
}

/**
 * One instance being received: `stream` takes the data set bytes exactly as they came off the wire, behind a
 * File Meta header naming the transfer syntax they are in; `commit` makes it durable in `incoming/` (or refuses
 * it) and only then may the C-STORE be answered with success.
 */
export class IncomingInstance {
  readonly stream: TemporaryFileStream;
  readonly #meta: FileMetaFields;
  readonly #options: IncomingInstanceOptions;
  readonly #receipt = newReceipt();
  #settled = false;

  constructor(meta: FileMetaFields, options: IncomingInstanceOptions) {
    this.#meta = meta;
    this.#options = options;
    this.stream = new TemporaryFileStream(
      join(options.temporaryDir, `${this.#receipt}.part`),
      part10Header(meta),
    );
  }

  /**
   * Waits for the data set to be on disk, checks it is DICOM that names the instance the command named, then
   * fsyncs, renames into `incoming/` and fsyncs the directory. Throws StoreFailure otherwise.
   */
  async commit(): Promise<SpooledInstance> {
    if (this.#settled) throw new Error('instance already committed or discarded');
    this.#settled = true;
    try {
      return await this.#commit();
    } catch (error) {
      await this.#removeTemporary();
      if (error instanceof StoreFailure) throw error;
      throw new StoreFailure('out-of-resources', `could not write to the spool: ${describe(error)}`, {
        cause: error,
      });
    }
  }

  /** Drops a partly received instance, as when the association is aborted mid-transfer. */
  async discard(): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    this.stream.destroy();
    await this.#removeTemporary();
  }

  async #commit(): Promise<SpooledInstance> {
    if (!this.stream.writableEnded) this.stream.end();
    await this.stream.whenClosed();
    if (this.stream.errored)
      throw new StoreFailure(
        'out-of-resources',
        `could not write to the spool: ${this.stream.errored.message}`,
        {
          cause: this.stream.errored,
        },
      );

    let identity;
    try {
      identity = await readInstanceIdentity(this.stream.path);
    } catch (error) {
      if (error instanceof DicomError) throw new StoreFailure('unreadable', error.message);
      throw error;
    }
    if (identity.sopInstanceUid !== this.#meta.sopInstanceUid)
      throw new StoreFailure(
        'unreadable',
        `the data set's SOP Instance UID '${identity.sopInstanceUid}' is not the one in the command, ` +
          `'${this.#meta.sopInstanceUid}'`,
      );
    if (identity.sopClassUid !== this.#meta.sopClassUid)
      throw new StoreFailure(
        'sop-class-mismatch',
        `the data set's SOP Class UID '${identity.sopClassUid}' is not the one in the command, ` +
          `'${this.#meta.sopClassUid}'`,
      );
    if (!isValidUid(identity.studyInstanceUid) || !isValidUid(identity.sopInstanceUid))
      throw new StoreFailure(
        'unreadable',
        'the data set has no usable Study Instance UID (0020,000D) or SOP Instance UID (0008,0018)',
      );

    await this.#ensureSpace();
    const fileName = spoolFileName({
      studyInstanceUid: identity.studyInstanceUid,
      sopInstanceUid: identity.sopInstanceUid,
      receipt: this.#receipt,
    });
    const path = join(this.#options.incomingDir, fileName);
    await rename(this.stream.path, path);
    await fsyncDirectory(this.#options.incomingDir);
    return {
      path,
      fileName,
      studyInstanceUid: identity.studyInstanceUid,
      sopInstanceUid: identity.sopInstanceUid,
      receipt: this.#receipt,
      size: this.stream.bytesOnDisk,
    };
  }

  async #ensureSpace(): Promise<void> {
    if (this.#options.minFreeBytes <= 0) return;
    const stats = await statfs(this.#options.incomingDir);
    const free = stats.bavail * stats.bsize;
    if (free < this.#options.minFreeBytes)
      throw new StoreFailure(
        'out-of-resources',
        `the spool disk has ${Math.floor(free / 1_048_576)} MiB free, below the configured minimum`,
      );
  }

  async #removeTemporary(): Promise<void> {
    await this.stream.whenClosed();
    await unlink(this.stream.path).catch(() => undefined);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
