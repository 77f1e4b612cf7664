let context: AudioContext | null = null;

/**
 * A short two-tone chime for a STAT case entering the pool, made by Web Audio (no sound file to download). Quiet by
 * design: a reading room is not an alarm. Does nothing where the browser allows no sound yet.
 */
export function soundStatChime(): void {
  try {
    context ??= new AudioContext();
    void context.resume();
    const start = context.currentTime;
    [880, 660, 880].forEach((frequency, i) => {
      if (!context) return;
      const at = start + i * 0.18;
      const tone = context.createOscillator();
      const gain = context.createGain();
      tone.type = 'sine';
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.15, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.16);
      tone.connect(gain).connect(context.destination);
      tone.start(at);
      tone.stop(at + 0.17);
    });
  } catch {
    // no audio device, or sound not yet allowed: the banner still shows
  }
}
