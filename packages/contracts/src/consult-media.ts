/**
 * What a consult's camera sends, in one place for the consult screen and the benchmark that measures it.
 *
 * 640x360 is what a county uplink carries well alongside a study's upload. At that size Chromium sends at most two
 * VP8 simulcast layers (three only from 960x540 up) and drops the top one of three: asking for three would leave the
 * other side with 320x180 at best. So two layers: half size for a slow downlink, full size for the rest, each capped
 * for a county uplink.
 */
export const CAMERA_CAPTURE = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 20, max: 25 },
} as const;

/** The camera's simulcast layers, lowest first (mediasoup's spatial layer 0 and 1). */
export const CAMERA_LAYERS: readonly { rid: string; scaleResolutionDownBy: number; maxBitrate: number }[] = [
  { rid: 'r0', scaleResolutionDownBy: 2, maxBitrate: 150_000 },
  { rid: 'r1', scaleResolutionDownBy: 1, maxBitrate: 500_000 },
];
