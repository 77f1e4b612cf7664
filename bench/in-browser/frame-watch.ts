/**
 * Injected by `bench:consult` into every page before the page's own scripts: remembers the tracks the page's camera
 * gave it, and records when a <video> first presents a frame of that camera and when one first presents anything
 * else (what the page received), in ms since the page's navigation started (`requestVideoFrameCallback`'s clock).
 * The benchmark reads `globalThis.benchFrames`.
 */
import type { Frames } from '../consult-frames.js';

const seen: Frames = { firstOwnFrameMs: null, firstRemoteFrameMs: null };
(globalThis as unknown as { benchFrames: Frames }).benchFrames = seen;

const own = new Set<string>();
const devices = navigator.mediaDevices;
const getUserMedia = devices.getUserMedia.bind(devices);
devices.getUserMedia = async (constraints) => {
  const stream = await getUserMedia(constraints);
  for (const track of stream.getTracks()) own.add(track.id);
  return stream;
};

const done = (): boolean => seen.firstOwnFrameMs !== null && seen.firstRemoteFrameMs !== null;

function hook(video: HTMLVideoElement): void {
  video.requestVideoFrameCallback((now) => {
    const tracks = video.srcObject instanceof MediaStream ? video.srcObject.getVideoTracks() : [];
    if (tracks.some((t) => own.has(t.id))) seen.firstOwnFrameMs ??= now;
    else if (tracks.length > 0) seen.firstRemoteFrameMs ??= now;
    if (!done()) hook(video);
  });
}

// the app makes its <video> elements when it likes; each is watched from the moment it exists
const hooked = new WeakSet<HTMLVideoElement>();
const timer = setInterval(() => {
  for (const video of document.querySelectorAll('video')) {
    if (hooked.has(video)) continue;
    hooked.add(video);
    hook(video);
  }
  if (done()) clearInterval(timer);
}, 5);
