import type { types } from 'mediasoup';

/**
 * What a consult's router speaks: Opus for voice, VP8 (simulcast in every browser) and H.264 baseline (hardware
 * encoders on old PCs) for video. Kept small so every browser the hospitals run agrees on it.
 */
export const MEDIA_CODECS: types.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48_000, channels: 2 },
  {
    kind: 'video',
    mimeType: 'video/VP8',
    clockRate: 90_000,
    parameters: { 'x-google-start-bitrate': 300 },
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90_000,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': '42e01f',
      'level-asymmetry-allowed': 1,
      'x-google-start-bitrate': 300,
    },
  },
];
