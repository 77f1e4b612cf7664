import type { SpooledInstance } from '../spool/spooled-instance.js';

/** The de-identification modes GATEWAY_DEIDENTIFY accepts. */
export type DeidentifyMode = 'none';

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
 * The hook where de-identification happens before an instance leaves the county site. Only `none` exists:
 * `basic` arrives with the de-identification profile in packages/dicom, which will write a de-identified copy
 * (new UIDs, so the mapping back to the spool file is carried in OutboundInstance) for the forwarder to send.
 */
export function outboundTransform(mode: DeidentifyMode): OutboundTransform {
  return transforms[mode];
}

const transforms: Record<DeidentifyMode, OutboundTransform> = {
  none: async (instance) => ({
    instance,
    path: instance.path,
    size: instance.size,
    sopInstanceUid: instance.sopInstanceUid,
    release: async () => undefined,
  }),
};
