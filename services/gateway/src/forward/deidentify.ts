import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { deidentifyPart10, type DeidentifiedInstance } from '@telemed/dicom';
import { inflateRawLimited } from '@telemed/dicom/node';
import type { SpooledInstance } from '../spool/spooled-instance.js';

/** The de-identification modes GATEWAY_DEIDENTIFY accepts. */
export type DeidentifyMode = 'none' | 'basic';

/** What `basic` needs besides the mode. */
export interface DeidentifySettings {
  /** GATEWAY_DEIDENTIFY_KEY: keys the replacement UIDs and the patient pseudonym. */
  key: string;
  /** GATEWAY_DEIDENTIFY_RETAIN_UIDS: keep the original UIDs (Retain UIDs Option). */
  retainUids: boolean;
  /**
   * Where de-identified copies wait while their batch is sent; each is removed once the batch is answered. The
   * spool's `tmp/` suits (it is emptied at start-up, so a copy left by a crash does not linger); default a
   * directory made under the system's temporary directory.
   */
  workDir?: string;
}

/** An instance as it leaves the site: the file to send and the SOP Instance UID the api will report. */
export interface OutboundInstance {
  instance: SpooledInstance;
  path: string;
  size: number;
  sopInstanceUid: string;
  /** Removes anything made for sending (a de-identified copy); the spool file itself is not touched. */
  release: () => Promise<void>;
}

/** Turns a spooled instance into what is sent. */
export type OutboundTransform = (instance: SpooledInstance) => Promise<OutboundInstance>;

/**
 * The hook where de-identification happens before an instance leaves the county site. `none` sends the spool
 * file itself, streamed from disk. `basic` writes a de-identified copy of each instance of the batch (DICOM
 * PS3.15 Basic Application Level Confidentiality Profile, see @telemed/dicom) and sends that; the spool file keeps
 * the original for as long as the spool keeps it. The copy carries new UIDs, so its SOP Instance UID is what the
 * api reports back. Replacement UIDs depend only on the original UID and the key, so an instance sent again after
 * a restart gets the same UIDs and the api recognises it as a duplicate.
 */
export function outboundTransform(mode: DeidentifyMode, settings?: DeidentifySettings): OutboundTransform {
  if (mode === 'none') return sendAsStored;
  if (!settings)
    throw new Error("GATEWAY_DEIDENTIFY 'basic' needs GATEWAY_DEIDENTIFY_KEY passed to outboundTransform");
  return deidentifyingTransform(settings);
}

const sendAsStored: OutboundTransform = async (instance) => ({
  instance,
  path: instance.path,
  size: instance.size,
  sopInstanceUid: instance.sopInstanceUid,
  release: async () => undefined,
});

/** An instance that cannot be made ready to send (for example, not de-identifiable): set aside, never sent. */
export class UntransformableInstance extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UntransformableInstance';
  }
}

function deidentifyingTransform(settings: DeidentifySettings): OutboundTransform {
  let workDir: Promise<string> | undefined;
  const directory = (): Promise<string> =>
    (workDir ??= settings.workDir
      ? mkdir(settings.workDir, { recursive: true }).then(() => settings.workDir ?? '')
      : mkdtemp(join(tmpdir(), 'gateway-deidentify-')));

  return async (instance) => {
    const file = await readFile(instance.path);
    let deidentified: DeidentifiedInstance;
    try {
      deidentified = deidentifyPart10(new Uint8Array(file.buffer, file.byteOffset, file.length), {
        key: settings.key,
        retainUids: settings.retainUids,
        inflate: inflateRawLimited,
        deflate: (bytes) => new Uint8Array(deflateRawSync(bytes)),
      });
    } catch (error) {
      // Never sent as it is: the forwarder sets it aside in rejected/ with this reason, and goes on with the rest.
      throw new UntransformableInstance(
        `${instance.fileName} cannot be de-identified: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    const path = join(await directory(), `${randomUUID()}.dcm`);
    await writeFile(path, deidentified.bytes);
    return {
      instance,
      path,
      size: deidentified.bytes.length,
      sopInstanceUid: deidentified.sopInstanceUid,
      release: () => rm(path, { force: true }),
    };
  };
}
